package com.voiceledger.customer.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AttributionRepository extends JpaRepository<AttributionEntity, Long> {

    Optional<AttributionEntity> findByTypeAndValue(String type, String value);

    /** Pins the value to the customer unless it is mapped already (concurrent first calls: the first wins). */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.transaction.annotation.Transactional
    @org.springframework.data.jpa.repository.Query(nativeQuery = true, value = "insert into customer_attribution "
            + "(customer_id, type, value, created_at, learned) values (:customer, :type, :value, :at, true) "
            + "on conflict (type, value) do nothing")
    int learn(@org.springframework.data.repository.query.Param("customer") long customer,
            @org.springframework.data.repository.query.Param("type") String type,
            @org.springframework.data.repository.query.Param("value") String value,
            @org.springframework.data.repository.query.Param("at") java.time.Instant at);

    List<AttributionEntity> findByCustomerIdOrderByCreatedAtAsc(Long customerId);
}
