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
        Assert.Equal(["save", "set", "show", "start", "stat", "stop", "sync"], Completer.Complete("s"));
        Assert.Contains("lb", Completer.Complete("show "));
        Assert.Equal(["vserver"], Completer.Complete("show lb v"));
        Assert.Equal(["service", "serviceGroup"], Completer.Complete("show servi"));
    }

    [Fact]
    public void Completes_the_option_names_of_the_command_not_yet_on_the_line()
    {
        Assert.Equal(["-lbMethod"], Completer.Complete("add lb vserver v1 TCP 10.0.0.1 80 -lbM"));
        Assert.Contains("-backupVServer", Completer.Complete("set lb vserver v1 -"));
        Assert.DoesNotContain("-lbMethod", Completer.Complete("set lb vserver v1 -lbMethod ROUNDROBIN -"));
    }

    [Fact]
    public void Completes_the_names_of_the_running_config_s_objects_of_the_command_s_kind()
    {
        var names = ObjectNames.Parse("add server web1 10.0.0.1\nadd service \"svc one\" web1 HTTP 80\nadd lb vserver www HTTP 10.0.0.9 80\n"
            + "add lb vserver api HTTP 10.0.0.9 81\nadd lb monitor mon1 HTTP\nbind lb vserver www \"svc one\"\n", Registry());
        var completer = new CommandCompleter(Registry(), kind => names.TryGetValue(kind, out var list) ? list : []);

        Assert.Equal(["api", "www"], completer.Complete("show lb vserver "));
        Assert.Equal(["www"], completer.Complete("stat lb vserver w"));
        Assert.Equal(["mon1"], completer.Complete("rm lb monitor "));
        Assert.Equal(["svc one"], completer.Complete("disable service s"));
        Assert.Equal(["web1"], completer.Complete("show server "));

        // A new object's name is the operator's to choose.
        Assert.Empty(completer.Complete("add lb vserver "));
    }
}
