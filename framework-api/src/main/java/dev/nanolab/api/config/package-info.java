/**
 * Typed configuration. Configs are plain records with defaults (their public no-argument constructor); the
 * launcher binds YAML files and {@code --set key=value} overrides onto them, rejecting unknown keys (with the nearest
 * valid key suggested), wrong types, and values outside a {@link dev.nanolab.api.config.Range}.
 * {@link dev.nanolab.api.config.ComponentRef} fields name other components and carry their options.
 */
package dev.nanolab.api.config;
