package com.voiceledger.customer.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AttributionRepository extends JpaRepository<AttributionEntity, Long> {

    Optional<AttributionEntity> findByTypeAndValue(String type, String value);

    List<AttributionEntity> findByCustomerIdOrderByCreatedAtAsc(Long customerId);
}
