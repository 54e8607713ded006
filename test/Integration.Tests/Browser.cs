using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// Debian's headless Chromium, driven by Debian's chromedriver through Selenium (no browser
/// download); screenshots go to .artifacts/screenshots.
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly ChromeDriver driver;
    private readonly string screenshots = Repository.LogPath(Path.Combine("..", "screenshots"));

    public Browser()
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900");
        driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Directory.CreateDirectory(screenshots);
    }

    public IWebDriver Driver => driver;

    public void Open(Uri url) => driver.Navigate().GoToUrl(url);

    /// <returns>The text of the first shown element that matches, and whose text meets <paramref name="condition"/>, within <paramref name="limit"/>.</returns>
    public string WaitFor(By by, TimeSpan limit, Func<string, bool>? condition = null)
    {
        var wait = new WebDriverWait(driver, limit);
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(d => d.FindElements(by).Where(e => e.Displayed).Select(e => e.Text).FirstOrDefault(text => condition?.Invoke(text) ?? true));
    }

    /// <summary>Clicks what matches, again if the page drew it anew in between (the console redraws its tables as it refreshes).</summary>
    public void Click(By by, TimeSpan limit)
    {
        var wait = new WebDriverWait(driver, limit);
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        wait.Until(d =>
        {
            d.FindElement(by).Click();
            return true;
        });
    }

    /// <summary>Types <paramref name="text"/> into the prompt the page shows, within <paramref name="limit"/>, and accepts it.</summary>
    public void Answer(string text, TimeSpan limit)
    {
        var prompt = Dialog(limit);
        prompt.SendKeys(text);
        prompt.Accept();
    }

    /// <summary>Logs in at the tests' identity provider (test/OidcProvider) on the page it shows, once its login form is there.</summary>
    public void LogInAtProvider(string user, string password, TimeSpan limit)
    {
        WaitFor(By.Id("login"), limit);
        driver.FindElement(By.Id("login")).SendKeys(user);
        driver.FindElement(By.Id("password")).SendKeys(password);
        driver.FindElement(By.Id("submit")).Click();
    }

    /// <summary>Says OK to the question (a confirm) the page asks, within <paramref name="limit"/>.</summary>
    public void Confirm(TimeSpan limit) => Dialog(limit).Accept();

    private IAlert Dialog(TimeSpan limit) => new WebDriverWait(driver, limit).Until(d => d.SwitchTo().Alert());

    /// <summary>Makes the page's requests to URLs that match <paramref name="patterns"/> fail as a network would; none: lets every request through again.</summary>
    public void FailRequests(params string[] patterns)
    {
        driver.ExecuteCdpCommand("Network.enable", []);
        driver.ExecuteCdpCommand("Network.setBlockedURLs", new Dictionary<string, object?> { ["urls"] = patterns });
    }

    public void Screenshot(string name) => driver.GetScreenshot().SaveAsFile(Path.Combine(screenshots, $"{name}.png"));

    public void Dispose() => driver.Quit();
}
