package dev.parapet.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: gives a test class the shared {@link MotoServer}, reset to an empty state
 * before the class runs. Use {@code @ExtendWith(MotoExtension.class)} and take a {@code MotoServer}
 * parameter, or {@code @RegisterExtension static MotoExtension moto = new MotoExtension();} and
 * call {@link #server()}.
 */
public final class MotoExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    MotoServer.shared().reset();
  }

  public MotoServer server() {
    return MotoServer.shared();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == MotoServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return MotoServer.shared();
  }
}
