package com.voiceledger.customer.internal;

import com.voiceledger.customer.Customer;
import com.voiceledger.shared.CustomerId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.ZoneId;

@Entity
@Table(name = "customer")
public class CustomerEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "external_id", nullable = false, unique = true)
    private String externalId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String currency;

    @Column(name = "billing_time_zone", nullable = false)
    private String billingTimeZone;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CustomerEntity() {
    }

    public CustomerEntity(String externalId, String name, String currency, ZoneId billingTimeZone, Instant createdAt) {
        this.externalId = externalId;
        this.name = name;
        this.currency = currency;
        this.billingTimeZone = billingTimeZone.getId();
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public Customer toCustomer() {
        return new Customer(CustomerId.of(id), externalId, name, currency, ZoneId.of(billingTimeZone), createdAt);
    }
}
