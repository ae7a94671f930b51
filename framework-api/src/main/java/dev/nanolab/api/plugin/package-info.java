/**
 * The plugin SPI: how a module contributes components to nanolab.
 *
 * <h2>Writing a plugin</h2>
 * <ol>
 *   <li>Create a Maven module that depends on {@code framework-api} only, with a {@code module-info.java}:
 *   <pre>{@code
 * module my.attention {
 *     requires dev.nanolab.api;
 *     exports my.attention;                        // config records must be public, in exported packages
 *     provides dev.nanolab.api.plugin.Plugin with my.attention.MyPlugin;
 * }
 *   }</pre></li>
 *   <li>Implement {@link dev.nanolab.api.plugin.Plugin} as a Guice {@code AbstractModule}: a version,
 *   {@code apiVersion()} returning {@link dev.nanolab.api.NanolabApi#VERSION}, and one {@code @ProvidesIntoSet} method
 *   per component returning its {@link dev.nanolab.api.plugin.ComponentSpec}; the method's parameters are injected
 *   (the {@link dev.nanolab.api.plugin.ComponentRegistry}, or anything another module binds).</li>
 *   <li>Each component is a {@link dev.nanolab.api.plugin.ComponentSpec}: a {@link dev.nanolab.api.plugin.ComponentKind}
 *   (built in, or one a plugin declares with {@link dev.nanolab.api.plugin.Components#declare}),
 *   a name unique within the kind, a one-line description, a config record (its no-argument constructor gives the
 *   defaults) and a factory from config to component.</li>
 *   <li>Drop the jar into the distribution's {@code plugins/} folder, or pass its folder with
 *   {@code --plugin-path}. {@code nanolab plugins} lists it.</li>
 * </ol>
 * Libraries a plugin needs go beside it; they must be modules too (a {@code module-info} or an
 * {@code Automatic-Module-Name}).
 */
package dev.nanolab.api.plugin;
