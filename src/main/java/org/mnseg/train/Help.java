package org.mnseg.train;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a {@link TrainingSettings} field means and takes, in one line for {@code mn train --help}: the field is the
 * option, so its help is declared beside it and nowhere else.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Help {
	String value();

	/** Whether the {@code cpu} preset sizes this setting from the data set (then help shows no single cpu value). */
	boolean fittedToData() default false;
}
