package com.voiceledger.customer.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CustomerRepository extends JpaRepository<CustomerEntity, Long> {

    Optional<CustomerEntity> findByExternalId(String externalId);

    boolean existsByExternalId(String externalId);

    List<CustomerEntity> findAllByOrderByNameAsc();
}
