package com.voiceledger.support;

import com.voiceledger.VoiceLedgerApplication;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Extra application instances in the test JVM, for tests of what must hold with several instances
 * behind a load balancer (claims, leases, caches) and when one of them dies.
 *
 * <p>Each instance is a whole application context ({@code test} profile, its own Tomcat on a random
 * port) on the JVM's one embedded PostgreSQL, which {@code EmbeddedPostgresConfiguration} shares per
 * data directory, so instances and the {@code @IntegrationTest} context see the same database.
 * Unlike the test profile, the background jobs run, polling every 200 ms (see {@link #SCHEDULERS_ON}).
 *
 * <p>Each instance reaches PostgreSQL through its own {@link TcpProxy}, so that {@link Instance#crash()}
 * can drop every connection at once: the database rolls back what was in flight and hears nothing
 * more from that instance, as after a {@code kill -9}; then the context is closed. Each instance has
 * its own {@link MutableClock} as its {@code Clock} bean (the system clock, shifted by what the test
 * moves it; the shared test context keeps the plain system clock): move it to make leases expire or
 * keys age without waiting.
 *
 * <p>Start about 10 s per instance on two busy cores: start them once per test class
 * ({@code @BeforeAll}) and close them ({@code @AfterAll}, or try-with-resources).
 * <pre>{@code
 * try (Instances instances = Instances.start(2)) {
 *     Instance a = instances.get(0);
 *     new Http(a.port()).post(...);
 *     a.bean(RatingJobs.class) ...;
 *     a.crash();
 * }
 * }</pre>
 */
public final class Instances implements AutoCloseable {

    /** The test profile turns every scheduler off (1 h polls); instances turn them on with short polls. */
    public static final List<String> SCHEDULERS_ON = List.of(
            "--voiceledger.rating.job-poll=200ms", "--voiceledger.rating.job-poll-start=0s",
            "--voiceledger.billing.run-poll=200ms", "--voiceledger.billing.run-poll-start=0s",
            "--voiceledger.alerts.delivery-poll=200ms", "--voiceledger.alerts.delivery-poll-start=0s",
            "--voiceledger.ingest.recovery-poll=500ms", "--voiceledger.ingest.recovery-poll-start=0s",
            "--voiceledger.stripe.push-poll=500ms", "--voiceledger.stripe.push-poll-start=0s");

    private final List<Instance> started = new CopyOnWriteArrayList<>();

    private Instances() {
    }

    /** Starts {@code count} instances with the schedulers on, plus {@code args} (e.g. {@code --a.b=c}) for each. */
    public static Instances start(int count, String... args) {
        Instances instances = new Instances();
        try {
            for (int i = 0; i < count; i++) {
                instances.add(args);
            }
        } catch (RuntimeException e) {
            instances.close();
            throw e;
        }
        return instances;
    }

    /** Starts one more instance; {@code args} override {@link #SCHEDULERS_ON} and the test profile. */
    public Instance add(String... args) {
        Instance instance = Instance.start("instance-" + started.size(), null, args);
        started.add(instance);
        return instance;
    }

    /**
     * One instance on a database of its own (created empty on the same server, migrated by the instance): for the
     * jobs that act on every customer at once (issuing, retention), which on the shared test database would act
     * on every other test's data.
     */
    public static Instances onOwnDatabase(String database, javax.sql.DataSource shared, String... args) {
        if (!database.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        try (java.sql.Connection connection = shared.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        Instances instances = new Instances();
        instances.started.add(Instance.start("instance-" + database, database, args));
        return instances;
    }

    public Instance get(int index) {
        return started.get(index);
    }

    public List<Instance> all() {
        return List.copyOf(started);
    }

    @Override
    public void close() {
        started.forEach(Instance::close);
    }

    /** One running application instance. */
    public static final class Instance implements AutoCloseable {

        private final String name;
        private final ConfigurableApplicationContext context;
        private final TcpProxy database;
        private final MutableClock clock;

        private Instance(String name, ConfigurableApplicationContext context, TcpProxy database, MutableClock clock) {
            this.name = name;
            this.context = context;
            this.database = database;
            this.clock = clock;
        }

        static Instance start(String name, @org.jspecify.annotations.Nullable String database, String... args) {
            MutableClock clock = new MutableClock();
            TcpProxy[] proxy = new TcpProxy[1];
            List<String> arguments = new ArrayList<>(SCHEDULERS_ON);
            arguments.add("--server.port=0");
            // a crashed instance's pool gives up fast instead of holding its close for 5 s per attempt
            arguments.add("--spring.datasource.hikari.connection-timeout=1000");
            arguments.add("--spring.application.name=voiceledger-" + name);
            arguments.addAll(List.of(args));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(VoiceLedgerApplication.class)
                    .profiles("test")
                    .initializers(ctx -> {
                        ctx.getBeanFactory().addBeanPostProcessor(throughProxy(proxy, database));
                        ctx.addBeanFactoryPostProcessor(beanFactory -> {
                            // replace the application's Clock bean (Clock.systemUTC()) by this instance's clock
                            BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beanFactory;
                            registry.removeBeanDefinition("clock");
                            registry.registerBeanDefinition("clock", new RootBeanDefinition(Clock.class, () -> clock));
                        });
                    })
                    .run(arguments.toArray(String[]::new));
            return new Instance(name, context, proxy[0], clock);
        }

        /** Points the instance's pool at a proxy of its own in front of the embedded PostgreSQL. */
        private static BeanPostProcessor throughProxy(TcpProxy[] proxy, @org.jspecify.annotations.Nullable String database) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String beanName) {
                    if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null && proxy[0] == null) {
                        Matcher port = Pattern.compile("//[^:/]+:(\\d+)/").matcher(pool.getJdbcUrl());
                        if (port.find()) {
                            proxy[0] = new TcpProxy(Integer.parseInt(port.group(1)));
                            pool.setJdbcUrl(pool.getJdbcUrl().replace(":" + port.group(1) + "/", ":" + proxy[0].port() + "/"));
                            if (database != null) {
                                pool.setJdbcUrl(pool.getJdbcUrl().replace("/postgres?", "/" + database + "?"));
                            }
                        }
                    }
                    return bean;
                }
            };
        }

        public String name() {
            return name;
        }

        public int port() {
            return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        }

        public String baseUrl() {
            return "http://localhost:" + port();
        }

        public Http http() {
            return new Http(port());
        }

        public ConfigurableApplicationContext context() {
            return context;
        }

        public <T> T bean(Class<T> type) {
            return context.getBean(type);
        }

        /** This instance's "now"; the other instances and the shared test context keep their own. */
        public MutableClock clock() {
            return clock;
        }

        public boolean running() {
            return context.isActive();
        }

        /**
         * Dies as after {@code kill -9}: every database connection drops at once (PostgreSQL rolls back
         * what was in flight: no commit, no heartbeat, no lock survives), then the context closes.
         */
        public void crash() {
            if (database != null) {
                database.cut();
            }
            close();
        }

        /** Shuts down as an orderly stop would (running work finishes or is interrupted). */
        @Override
        public void close() {
            if (context.isActive()) {
                context.close();
            }
            if (database != null) {
                database.close();
            }
        }

        @Override
        public String toString() {
            return name + " (" + (running() ? baseUrl() : "stopped") + ")";
        }
    }

    /**
     * The system clock shifted by an offset the test can move: time runs on as usual (timeouts, HMAC
     * windows), and {@link #advance} jumps ahead, e.g. past a lease. Shared by the beans of one instance.
     */
    public static final class MutableClock extends Clock {

        private final AtomicReference<Duration> offset;
        private final ZoneId zone;

        public MutableClock() {
            this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
        }

        private MutableClock(AtomicReference<Duration> offset, ZoneId zone) {
            this.offset = offset;
            this.zone = zone;
        }

        public void advance(Duration duration) {
            offset.accumulateAndGet(duration, Duration::plus);
        }

        /** Back to the system's time. */
        public void reset() {
            offset.set(Duration.ZERO);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new MutableClock(offset, zone);
        }
    }
}
