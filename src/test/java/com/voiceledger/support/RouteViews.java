package com.voiceledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.router.Route;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.core.type.filter.TypeFilter;
import org.springframework.util.ClassUtils;

/**
 * The app's Vaadin views found from their classes (package-private ones too, which Vaadin's and
 * Karibu's own discovery skip), so a sweep over "every page" needs no list that could fall behind.
 */
public final class RouteViews {

    /** A {@code @Route} template ({@code "invoices/:id"}) and the view behind it. */
    public record View(String template, Class<? extends Component> type) {
    }

    private static final Pattern PARAMETER = Pattern.compile(":(\\w+)\\??");

    private RouteViews() {
    }

    /** Every {@code @Route} view of the app, by template. */
    public static List<View> all() {
        return classes(new AnnotationTypeFilter(Route.class)).stream()
                .map(type -> new View(type.getAnnotation(Route.class).value(), type.asSubclass(Component.class)))
                .sorted(Comparator.comparing(View::template)).toList();
    }

    /**
     * The address of a route template with its parameters ({@code :id}, {@code :id?}) filled from
     * {@code ids}; a parameter without a value fails, naming what to add.
     */
    public static String fill(String template, Map<String, String> ids) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = ids.get(matcher.group(1));
            assertThat(value).as("no id for :%s in route %s: add one", matcher.group(1), template).isNotNull();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The concrete classes of the app carrying {@code annotation}. */
    public static List<Class<?>> annotatedWith(Class<? extends Annotation> annotation) {
        return classes(new AnnotationTypeFilter(annotation));
    }

    /** The concrete classes of the app that are a {@code type}. */
    public static List<Class<?>> assignableTo(Class<?> type) {
        return classes(new AssignableTypeFilter(type));
    }

    private static List<Class<?>> classes(TypeFilter filter) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isConcrete();
            }
        };
        scanner.addIncludeFilter(filter);
        List<Class<?>> classes = new ArrayList<>();
        for (var candidate : scanner.findCandidateComponents("com.voiceledger")) {
            classes.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), RouteViews.class.getClassLoader()));
        }
        return classes;
    }
}
