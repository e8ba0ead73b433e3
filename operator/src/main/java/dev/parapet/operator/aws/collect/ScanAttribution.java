package dev.parapet.operator.aws.collect;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts each API call for the scan that made it although SDK clients are shared between scans.
 *
 * <p>Every cached client carries the one {@link #INTERCEPTOR}, which passes each call to the {@link
 * ApiCallCounter} bound to the calling thread. A session hands out its clients wrapped by {@link
 * #wrap}: each method call on the wrapper binds the session's counter for the duration of the call.
 * Synchronous SDK clients run the whole call (interceptors, signing, retries) on the calling
 * thread, so the attribution is exact however scans and threads interleave. Default interface
 * methods (paginators, consumer-builder overloads, waiters) run against the wrapper, so the calls
 * they make are attributed too.
 */
final class ScanAttribution {
  private static final ThreadLocal<ApiCallCounter> CURRENT = new ThreadLocal<>();
  private static final Map<Method, Boolean> IMPLEMENTED = new ConcurrentHashMap<>();

  /** Added to every shared client. */
  static final ExecutionInterceptor INTERCEPTOR =
      new ExecutionInterceptor() {
        @Override
        public void beforeExecution(
            Context.BeforeExecution context, ExecutionAttributes attributes) {
          var counter = CURRENT.get();
          if (counter != null) {
            counter.beforeExecution(context, attributes);
          }
        }

        @Override
        public void beforeTransmission(
            Context.BeforeTransmission context, ExecutionAttributes attributes) {
          var counter = CURRENT.get();
          if (counter != null) {
            counter.beforeTransmission(context, attributes);
          }
        }
      };

  private ScanAttribution() {}

  /** {@code client} as seen by one scan: its calls are counted by {@code counter}. */
  static <C> C wrap(Class<C> type, C client, ApiCallCounter counter, String name) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(), new Class<?>[] {type}, new Handler(client, counter, name)));
  }

  /** The shared client behind a session's wrapper (tests). */
  static Object unwrap(Object wrapped) {
    return ((Handler) Proxy.getInvocationHandler(wrapped)).target();
  }

  private record Handler(Object target, ApiCallCounter counter, String name)
      implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "ScanClient[" + name + "]";
        };
      }
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        // The client is shared and owned by the factory's cache.
        return null;
      }
      if (method.isDefault() && !implemented(method)) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      var previous = CURRENT.get();
      CURRENT.set(counter);
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        if (previous == null) {
          CURRENT.remove();
        } else {
          CURRENT.set(previous);
        }
      }
    }

    /**
     * Whether the client class overrides an interface default (SDK operations are defaults that
     * throw in the interface; paginators and overloads are defaults the client does not override).
     */
    private boolean implemented(Method method) {
      return IMPLEMENTED.computeIfAbsent(
          method,
          m -> {
            try {
              return !target
                  .getClass()
                  .getMethod(m.getName(), m.getParameterTypes())
                  .getDeclaringClass()
                  .isInterface();
            } catch (NoSuchMethodException e) {
              return false;
            }
          });
    }
  }
}
