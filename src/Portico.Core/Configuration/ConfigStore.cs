using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// Owns the running config. Batches are applied one at a time: every line is parsed and every
/// mutation executed on a copy, references are checked, and only a batch without a single error
/// replaces the snapshot. Then the one change channel runs: every <see cref="IConfigObserver"/>
/// prepares (any failure rejects the batch), the snapshot is swapped, and they commit in
/// <see cref="ConfigStage"/> order, so a batch's ACLs are in force before its listeners open.
/// </summary>
/// <param name="observers">
/// The observers composition knows (the ACL policy): in the channel from the first batch on, and
/// registered here rather than by their own constructors, so no lock is taken while services are built.
/// </param>
public sealed class ConfigStore(CommandParser parser, ConfigSections sections, IEnumerable<IConfigObserver> observers) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _observersLock = new();
    private volatile RunningConfig _current = RunningConfig.Empty;
    private IConfigObserver[] _observers = [.. observers.OrderBy(o => o.Stage)];

    public CommandParser Parser { get; } = parser;

    public RunningConfig Current => _current;

    /// <summary>
    /// Adds an observer that cannot be injected because it depends on the store itself (the engine, which
    /// calls this from its constructor at composition), and brings it up to the running config at once.
    /// </summary>
    public void Observe(IConfigObserver observer)
    {
        // The observers lock is held by every publish, so the observer sees each snapshot exactly once.
        lock (_observersLock)
        {
            // Every observer starts out in line with the empty config: only a later joiner has something to catch up on.
            if (!ReferenceEquals(_current, RunningConfig.Empty))
            {
                observer.Prepare(RunningConfig.Empty, _current).Commit();
            }

            _observers = [.. _observers.Append(observer).OrderBy(o => o.Stage)];
        }
    }

    /// <summary>
    /// Who approves a batch before it commits (the cluster's compare-and-swap); null: every valid batch commits.
    /// Set at composition by the policy itself, which depends on the store.
    /// </summary>
    public IConfigCommitPolicy? CommitPolicy { get; set; }

    /// <summary>The file <c>save config</c> writes; null when the process runs on the embedded default.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Parses and applies a batch on top of the running config, all or nothing, then runs its queries and actions in order.</summary>
    public Task<BatchResult> ApplyAsync(string text, string source, IServiceProvider services, CancellationToken cancellationToken = default) =>
        RunAsync(replace: false, text, source, services, cancellationToken);

    /// <summary>Replaces the whole running config with <paramref name="text"/> (a reload), only if all of it is valid.</summary>
    public Task<BatchResult> ReplaceAsync(string text, string source, IServiceProvider services, CancellationToken cancellationToken = default) =>
        RunAsync(replace: true, text, source, services, cancellationToken);

    /// <summary>As <see cref="ApplyAsync"/> or <see cref="ReplaceAsync"/>, for a change the commit policy itself brings (a cluster revision): not approved again.</summary>
    public Task<BatchResult> ApplyApprovedAsync(bool replace, string text, string source, IServiceProvider services, CancellationToken cancellationToken = default) =>
        RunAsync(replace, text, source, services, cancellationToken, approved: true);

    private async Task<BatchResult> RunAsync(bool replace, string text, string source, IServiceProvider services, CancellationToken cancellationToken, bool approved = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Relative certificate paths not found from the working directory are looked up next to the config file.
            IReadOnlyList<string> dirs = ConfigPath is { } path && Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir ? [dir] : [];
            var plan = replace ? Plan(_current.ForReload(), text, source, _current.Generation, dirs) : Plan(_current, text, source, null, dirs);
            if (plan.Errors.Count > 0)
            {
                return new BatchResult(false, plan.Errors, plan.Unsupported, plan.Notes, [], plan.Commands.Count);
            }

            var output = new List<string>();
            if (plan.Next is not null)
            {
                if (Publish(plan.Next, output, approved ? null : CommitPolicy) is { } error)
                {
                    return new BatchResult(false, [error], plan.Unsupported, plan.Notes, [], plan.Commands.Count);
                }
            }

            var context = new CommandContext(this, services);
            var results = new List<IQueryResult>();
            foreach (var command in plan.Commands.Where(c => c.Spec.Kind != CommandKind.Mutation))
            {
                try
                {
                    var result = await CommandSpec.Of(command).Run!(context, command, cancellationToken).ConfigureAwait(false);
                    results.Add(result);
                    output.Add(result.ToText());
                }
                catch (ConfigErrorException e)
                {
                    output.Add("ERROR: " + e.Error);
                }
            }

            return new BatchResult(true, [], plan.Unsupported, plan.Notes, output, plan.Commands.Count) { Results = results };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The one change channel: every observer prepares <paramref name="next"/> (the first failure rejects
    /// the batch with nothing changed), the snapshot is swapped, then each commits in stage order.
    /// </summary>
    private ConfigError? Publish(RunningConfig next, List<string> output, IConfigCommitPolicy? policy)
    {
        using var scope = _observersLock.EnterScope();
        var previous = _current;
        var observers = _observers;
        var prepared = new IPreparedChange[observers.Length];
        for (var i = 0; i < observers.Length; i++)
        {
            try
            {
                prepared[i] = observers[i].Prepare(previous, next);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new ConfigError(0, 0, "", $"the configuration could not be compiled: {e.Message}");
            }
        }

        // Prepared changes put nothing in force, so a refusal here leaves everything as it was.
        if (policy?.Approve(previous, next) is { } refused)
        {
            return new ConfigError(0, 0, "", refused);
        }

        _current = next;
        foreach (var change in prepared)
        {
            // Past the swap the batch is applied: a commit that fails is reported, and the later stages still run.
            try
            {
                output.AddRange(change.Commit().Select(w => "warning: " + w));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                output.Add($"warning: part of the change could not be put in force: {e.Message}");
            }
        }

        return null;
    }

    /// <summary>Checks a batch against an empty config without applying it (<c>portico config check</c>).</summary>
    public BatchPlan Check(string text, string source, IReadOnlyList<string>? certificateDirectories = null) =>
        Plan(RunningConfig.Empty, text, source, null, certificateDirectories);

    /// <summary>Parses and applies a batch to a copy of <paramref name="baseConfig"/>, collecting every error.</summary>
    /// <param name="certificateDirectories">Folders relative certificate paths are looked up in (see <see cref="ConfigBuilder.CertificateDirectories"/>).</param>
    public BatchPlan Plan(RunningConfig baseConfig, string text, string source, long? generation = null, IReadOnlyList<string>? certificateDirectories = null)
    {
        // A reference checked at the end of the batch that names an object only an unsupported line defines
        // makes its line unsupported too; it must not have changed anything, so plan again without it. Each
        // round sets aside at least one more line, so this ends.
        var skip = new Dictionary<int, UnsupportedLine>();
        while (true)
        {
            var (result, deferred) = Plan(baseConfig, text, source, generation, skip, certificateDirectories ?? []);
            if (deferred.Count == 0)
            {
                return result;
            }

            skip = deferred;
        }
    }

    private (BatchPlan Result, Dictionary<int, UnsupportedLine> Deferred) Plan(
        RunningConfig baseConfig, string text, string source, long? generation, Dictionary<int, UnsupportedLine> skip, IReadOnlyList<string> certificateDirectories)
    {
        var errors = new List<ConfigError>();
        var commands = new List<ParsedCommand>();
        var builder = new ConfigBuilder(baseConfig, source, generation) { CertificateDirectories = certificateDirectories, Sections = sections };
        var unsupported = new List<UnsupportedLine>();
        var references = new UnsupportedReferences();
        foreach (var kept in baseConfig.Unsupported)
        {
            references.Add(kept);
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (skip.TryGetValue(i + 1, out var skipped))
            {
                unsupported.Add(skipped);
                continue;
            }

            try
            {
                switch (Parser.Parse(lines[i], i + 1))
                {
                    case ParseOutcome.Command c:
                        commands.Add(c.Parsed);
                        break;
                    case ParseOutcome.Unsupported u:
                        unsupported.Add(new UnsupportedLine(source, u.Line, u.Text, u.Reason));
                        references.Add(unsupported[^1]);
                        break;
                }
            }
            catch (ConfigErrorException e)
            {
                errors.Add(WrappedLineHint.Add(e.Error, lines, i));
            }
        }

        var mutations = 0;
        foreach (var command in commands.Where(c => c.Spec.Kind == CommandKind.Mutation))
        {
            mutations++;
            try
            {
                CommandSpec.Of(command).Mutate!(builder, command);
                foreach (var note in command.Notes)
                {
                    builder.Note(command, note);
                }

                foreach (var kept in command.Kept.Where(k => !SavedConfigAttributes.IsInert(k) && !command.Notes.Any(n => n.Contains($"-{k.Name} is kept", StringComparison.Ordinal))))
                {
                    builder.Note(command, $"{kept} is kept but has no effect in Portico");
                }
            }
            catch (ConfigErrorException e)
            {
                if (references.DefinerOf(e.Error) is { } definer)
                {
                    unsupported.Add(new UnsupportedLine(source, command.Line, command.Text, UnsupportedReferences.Reason(e.Error, definer)));
                }
                else
                {
                    errors.Add(e.Error);
                }
            }
            catch (UnsupportedCommandException e)
            {
                unsupported.Add(new UnsupportedLine(source, command.Line, command.Text, e.Message));
                references.Add(unsupported[^1]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A defect in a handler must not take the process down with the batch.
                errors.Add(new ConfigError(command.Line, command.VerbToken.Column, command.Spec.FullName, $"internal error: {e.Message}"));
            }
        }

        var deferred = new Dictionary<int, UnsupportedLine>();
        foreach (var e in builder.RunDeferredChecks().Select(e => e.Error))
        {
            if (references.DefinerOf(e) is { } definer && commands.FirstOrDefault(c => c.Line == e.Line) is { } command)
            {
                deferred.TryAdd(e.Line, new UnsupportedLine(source, e.Line, command.Text, UnsupportedReferences.Reason(e, definer)));
            }
            else
            {
                errors.Add(e);
            }
        }

        if (deferred.Count > 0)
        {
            foreach (var (line, kept) in skip)
            {
                deferred.TryAdd(line, kept);
            }

            return (new BatchPlan(null, errors, unsupported, builder.Notes, commands), deferred);
        }

        for (var i = 0; i < unsupported.Count; i++)
        {
            if (NetScalerBuiltIns.Describe(unsupported[i].Text) is { } builtIn)
            {
                unsupported[i] = unsupported[i] with { Reason = builtIn, WithoutEffect = true };
            }
        }

        unsupported.Sort((a, b) => a.Line.CompareTo(b.Line));
        builder.Unsupported.AddRange(unsupported);
        errors.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        var changed = mutations > 0 || unsupported.Count > 0 || generation is not null;
        return (new BatchPlan(errors.Count == 0 && changed ? builder.Build() : null, errors, unsupported, builder.Notes, commands), deferred);
    }

    public void Dispose() => _gate.Dispose();
}
