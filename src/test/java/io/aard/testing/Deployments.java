package io.aard.testing;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR that Maven built, as Arquillian deploys it: the product itself, not a test assembly. */
public final class Deployments {

  private Deployments() {}

  /** The packaged {@code aard.war}. */
  public static WebArchive aard() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("aard.it.war", "target/aard.war")));
  }
}
