package com.voiceledger.customer.internal;

import com.voiceledger.customer.Attribution;
import com.voiceledger.customer.AttributionType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "customer_attribution")
public class AttributionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "customer_id", nullable = false)
    private Long customerId;

    @Column(nullable = false)
    private String type;

    @Column(nullable = false)
    private String value;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private boolean learned;

    protected AttributionEntity() {
    }

    public AttributionEntity(Long customerId, AttributionType type, String value, Instant createdAt) {
        this.customerId = customerId;
        this.type = type.wireName();
        this.value = value;
        this.createdAt = createdAt;
    }

    /** Finance moves the mapping to another customer: from then on it is finance's, no longer learned. */
    public void moveTo(Long customerId) {
        this.customerId = customerId;
        this.learned = false;
    }

    public Long getCustomerId() {
        return customerId;
    }

    public Attribution toAttribution() {
        return new Attribution(AttributionType.fromWireName(type), value, createdAt, learned);
    }
}
