using System.Reflection;
using System.Reflection.Emit;

namespace Portico.Core.Tests.Architecture;

/// <summary>
/// The folder-level dependency graph of an assembly, read from what the compiled code really uses:
/// base types, interfaces, fields, signatures, attributes and every type, method and field token in
/// method bodies. Namespaces mirror folders, so a node is a folder: <c>Portico.Acl</c> is <c>Acl</c>,
/// and a concern's <c>Commands</c> sub-folder (<c>Portico.Acl.Commands</c>) is a node of its own, the
/// concern's top floor. Deeper sub-folders belong to their folder (<c>Http.Pipeline</c> is <c>Http</c>).
/// A concern's registration (<c>Add&lt;Concern&gt;()</c>, a type named <c>…ServiceCollectionExtensions</c>)
/// is composition, not part of the concern: it names every floor of it, so all of them form one node,
/// <see cref="Composition"/>, above the rest.
/// Reading the binary rather than the source means an unused <c>using</c> adds no arrow and a
/// same-namespace reference without one is not missed.
/// </summary>
public sealed class FolderGraph
{
    private static readonly Dictionary<short, OpCode> OpCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    /// <summary>The node of the registration files, which compose every floor and so sit on top.</summary>
    public const string Composition = "(registrations)";

    private FolderGraph(string root) => Root = root;

    /// <summary>The namespace prefix every node lives under (<c>Portico</c>).</summary>
    public string Root { get; }

    public IEnumerable<string> Nodes => _edges.Keys.Order(StringComparer.Ordinal);

    /// <summary>The folders <paramref name="node"/> uses, each with one example: "TypeA uses TypeB".</summary>
    public IReadOnlyDictionary<string, string> EdgesFrom(string node) =>
        _edges.TryGetValue(node, out var to) ? to : new Dictionary<string, string>();

    public static FolderGraph Of(Assembly assembly, string root)
    {
        var graph = new FolderGraph(root);
        foreach (var type in assembly.GetTypes())
        {
            var from = graph.NodeOf(type);
            if (from is null)
            {
                continue;
            }

            graph._edges.TryAdd(from, new Dictionary<string, string>(StringComparer.Ordinal));
            foreach (var used in Uses(type))
            {
                foreach (var leaf in Leaves(used))
                {
                    var to = leaf.Assembly == assembly ? graph.NodeOf(leaf) : null;
                    if (to is not null && to != from)
                    {
                        graph._edges[from].TryAdd(to, $"{Outermost(type).FullName} uses {Outermost(leaf).FullName}");
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The folder a type is declared in, or null for types outside the root namespace.</summary>
    public string? NodeOf(Type type)
    {
        var ns = Outermost(type).Namespace;
        if (ns is null || !ns.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        if (Outermost(type).Name.EndsWith("ServiceCollectionExtensions", StringComparison.Ordinal))
        {
            return Composition;
        }

        var parts = ns[(Root.Length + 1)..].Split('.');
        return parts.Length > 1 && parts[1] == "Commands" ? $"{parts[0]}/Commands" : parts[0];
    }

    /// <summary>Every strongly connected component of more than one folder: each is a cycle.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = 0;
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var indices = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var result = new List<IReadOnlyList<string>>();

        void Visit(string v)
        {
            indices[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in EdgesFrom(v).Keys)
            {
                if (!indices.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }

            if (low[v] == indices[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);

                if (component.Count > 1)
                {
                    result.Add(component.Order(StringComparer.Ordinal).ToList());
                }
            }
        }

        foreach (var node in Nodes)
        {
            if (!indices.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    /// <summary>
    /// Floors, ground first: a folder's floor is one above the highest floor it uses. Only
    /// meaningful when <see cref="Cycles"/> is empty.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Floors()
    {
        var floor = new Dictionary<string, int>();
        int FloorOf(string node, HashSet<string> path)
        {
            if (floor.TryGetValue(node, out var known))
            {
                return known;
            }

            if (!path.Add(node))
            {
                return 0;
            }

            var f = 1 + EdgesFrom(node).Keys.Select(n => FloorOf(n, path)).DefaultIfEmpty(0).Max();
            path.Remove(node);
            return floor[node] = f;
        }

        foreach (var node in Nodes)
        {
            FloorOf(node, []);
        }

        return floor.GroupBy(p => p.Value).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)g.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
            .ToList();
    }

    /// <summary>One cycle as a readable path with one example per arrow.</summary>
    public string Explain(IReadOnlyList<string> component)
    {
        var inside = component.ToHashSet();
        var lines = new List<string>();
        foreach (var from in component)
        {
            foreach (var (to, example) in EdgesFrom(from).Where(e => inside.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                lines.Add($"  {from} -> {to}   ({example})");
            }
        }

        return $"cycle between {string.Join(", ", component)}:\n{string.Join('\n', lines)}";
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static IEnumerable<Type> Leaves(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var t in Leaves(type.GetElementType()!))
            {
                yield return t;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var arg in type.GetGenericArguments())
            {
                foreach (var t in Leaves(arg))
                {
                    yield return t;
                }
            }
        }
    }

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> Uses(Type type)
    {
        if (type.BaseType is not null)
        {
            yield return type.BaseType;
        }

        foreach (var i in type.GetInterfaces())
        {
            yield return i;
        }

        foreach (var a in type.CustomAttributes)
        {
            yield return a.AttributeType;
        }

        foreach (var f in type.GetFields(Declared))
        {
            yield return f.FieldType;
        }

        foreach (var p in type.GetProperties(Declared))
        {
            yield return p.PropertyType;
        }

        foreach (var e in type.GetEvents(Declared))
        {
            if (e.EventHandlerType is not null)
            {
                yield return e.EventHandlerType;
            }
        }

        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));
        foreach (var m in methods)
        {
            if (m is MethodInfo mi)
            {
                yield return mi.ReturnType;
            }

            foreach (var p in m.GetParameters())
            {
                yield return p.ParameterType;
            }

            foreach (var t in BodyUses(m))
            {
                yield return t;
            }
        }
    }

    /// <summary>The types whose tokens a method body names: locals, casts, calls, field accesses.</summary>
    private static IEnumerable<Type> BodyUses(MethodBase method)
    {
        var body = method.GetMethodBody();
        var il = body?.GetILAsByteArray();
        if (body is null || il is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var module = method.Module;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            if (!OpCodes.TryGetValue(value, out var op))
            {
                yield break;
            }

            switch (op.OperandType)
            {
                case OperandType.InlineType:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    MemberInfo? member;
                    try
                    {
                        member = module.ResolveMember(token, typeArgs, methodArgs);
                    }
                    catch (ArgumentException)
                    {
                        member = null;
                    }

                    switch (member)
                    {
                        case Type t:
                            yield return t;
                            break;
                        case MethodBase mb:
                            if (mb.DeclaringType is not null)
                            {
                                yield return mb.DeclaringType;
                            }

                            if (mb.IsGenericMethod)
                            {
                                foreach (var a in mb.GetGenericArguments())
                                {
                                    yield return a;
                                }
                            }

                            break;
                        case FieldInfo fi when fi.DeclaringType is not null:
                            yield return fi.DeclaringType;
                            break;
                    }

                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, i);
                    i += 4 + (4 * count);
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
