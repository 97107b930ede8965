package com.voiceledger.support;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.security.ApiKeyService;
import org.springframework.stereotype.Component;

/** Creates the customers and credentials a test needs, each unique to that test. */
@Component
public class TestFixtures {

    public static final String VAPI_SECRET = "test-vapi-secret";
    public static final String HMAC_SECRET = "test-hmac-secret";
    public static final String TWILIO_TOKEN = "test-twilio-token";
    public static final String ADMIN_TOKEN = "vl-test-admin-f191f640240eab5945fcef0dacffba0f435f670b";

    private final CustomerService customers;
    private final ApiKeyService apiKeys;

    TestFixtures(CustomerService customers, ApiKeyService apiKeys) {
        this.customers = customers;
        this.apiKeys = apiKeys;
    }

    public Customer customer(String externalId) {
        return customers.create(NewCustomer.parse(externalId, "Customer " + externalId, "USD", "UTC"));
    }

    public String apiKey(Customer customer) {
        return apiKeys.create(customer.id(), "test").secret();
    }
}
