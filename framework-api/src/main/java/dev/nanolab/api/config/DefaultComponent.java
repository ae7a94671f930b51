package dev.nanolab.api.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The component a {@link ComponentRef} key names when the config leaves it out, with that component's default
 * options. (A record's no-argument constructor cannot build the reference itself: it needs the loaded plugins.)
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface DefaultComponent {
    String value();
}
