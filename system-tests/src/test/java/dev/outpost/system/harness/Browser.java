package dev.outpost.system.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless Debian chromium driven through Debian's chromedriver: nothing is downloaded (Selenium
 * Manager stays off). Without chromium the browser tests are skipped, except under CI=true, where a
 * missing browser fails loudly.
 */
public final class Browser implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Browser.class);
  static final Path CHROMIUM = Path.of(System.getProperty("outpost.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("outpost.chromedriver", "/usr/bin/chromedriver"));

  private final ChromeDriver driver;
  private final String name;
  private int shots;

  private Browser(ChromeDriver driver, String name) {
    this.driver = driver;
    this.name = name;
  }

  /** A fresh browser (own profile) for one test class. */
  public static Browser open(String name) {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String why =
          "chromium or chromedriver missing ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): apt-get install chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("CI=true but " + why);
      }
      Assumptions.abort(why);
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    System.setProperty("SE_OFFLINE", "true");
    Path profile = TestPaths.freshDataDir(name + "-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .withLogFile(TestPaths.logs().resolve(name + "-chromedriver.log").toFile())
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return new Browser(driver, name);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Saves a PNG under target/screenshots/ (kept as a test artifact). */
  public Path screenshot(String label) {
    try {
      Path dir = Files.createDirectories(TestPaths.target().resolve("screenshots"));
      Path file = dir.resolve(String.format("%s-%02d-%s.png", name, ++shots, label));
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      Files.writeString(
          dir.resolve(String.format("%s-%02d-%s.html", name, shots, label)),
          driver.getPageSource());
      LOG.info("screenshot {}", file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      LOG.warn("no screenshot {}: {}", label, e.toString());
      return null;
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      LOG.warn("closing the browser: {}", e.toString());
    }
  }
}
