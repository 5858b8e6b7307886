using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Portico.Admin.Cli;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;

namespace Portico.Admin.Tests.Cli;

public class CommandCompleterTests
{
    private static readonly CommandCompleter Completer = new(Registry());

    private static CommandRegistry Registry()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPorticoCore();
        return services.BuildServiceProvider().GetRequiredService<CommandRegistry>();
    }

    [Fact]
    public void Completes_verbs_then_object_words()
    {
        Assert.Equal(["save", "set", "show", "start", "stat", "stop"], Completer.Complete("s"));
        Assert.Contains("lb", Completer.Complete("show "));
        Assert.Equal(["vserver"], Completer.Complete("show lb v"));
        Assert.Equal(["service", "serviceGroup"], Completer.Complete("show servi"));
    }
}
