package dev.parapet.bench;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The one endpoint of the baseline app. */
@Path("/hello")
public class HelloResource {

  @GET
  public String hello() {
    return "hello";
  }
}
