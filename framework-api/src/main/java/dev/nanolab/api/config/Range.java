package dev.nanolab.api.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a numeric config key, both ends inclusive unless marked open. A value outside is rejected
 * when the config is read, with a message naming the key and this range.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Range {
    double min() default Double.NEGATIVE_INFINITY;

    double max() default Double.POSITIVE_INFINITY;

    /** Excludes {@link #min()} itself. */
    boolean minOpen() default false;

    /** Excludes {@link #max()} itself. */
    boolean maxOpen() default false;
}
