package dev.outpost.central.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConflictPoliciesParseTest {
  @Test
  void readsPerEntityPoliciesAndFallsBackToTheDefault() {
    ConflictPolicies p = new ConflictPolicies("central-wins", "customer=MERGE, supplier = manual");
    assertThat(p.of("customer")).isEqualTo(ConflictPolicy.MERGE);
    assertThat(p.of("supplier")).isEqualTo(ConflictPolicy.MANUAL);
    assertThat(p.of("anything")).isEqualTo(ConflictPolicy.CENTRAL_WINS);
  }

  @Test
  void unknownPolicyNamesStopStartUpNamingThem() {
    assertThatThrownBy(() -> new ConflictPolicies("LAST_WRITE_WINS", "customer=NEWEST"))
        .hasMessageContaining("customer")
        .hasMessageContaining("NEWEST");
    assertThatThrownBy(() -> new ConflictPolicies("LAST_WRITE_WINS", "customer"))
        .hasMessageContaining("entity=POLICY");
  }
}
