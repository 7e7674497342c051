package dev.rlhf.events.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component added to an event after the event was first published. Events written
 * before it existed lack the field; {@link dev.rlhf.events.EventCodec} reads the missing field as
 * null, and the record's constructor gives it its default. Every other field stays required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface AddedLater {}
