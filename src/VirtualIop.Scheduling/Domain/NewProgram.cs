using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>A curriculum topic as a clinic proposes it; the kind says how the topic is delivered.</summary>
public sealed record TopicProposal(string? Title, SessionKind? Kind);

/// <summary>An IOP track as a clinic proposes it: a name, its curriculum of topics in teaching order, and optionally its phases.</summary>
public sealed record ProgramProposal(string? Name, IReadOnlyList<TopicProposal?>? Topics, IReadOnlyList<PhaseProposal?>? Phases = null);

public sealed record NewTopic(int Position, string Title, SessionKind Kind);

/// <summary>
/// A program that passed the rules: a name and 1 to 200 topics, each with a title and a kind, and its phases (none, or
/// ordered phases that together cover every topic once; see <see cref="ProgramPhases"/>).
/// </summary>
public sealed record NewProgram(string Name, IReadOnlyList<NewTopic> Topics)
{
    public IReadOnlyList<NewPhase> Phases { get; init; } = [];

    public const int MaxNameLength = InputBounds.MaxShortText;
    public const int MaxTopics = 200;

    public static bool TryCreate(ProgramProposal proposal, [NotNullWhen(true)] out NewProgram? program, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        var name = proposal.Name?.Trim();
        if (string.IsNullOrEmpty(name)) found.Add(new("name", "The program name is required."));
        else if (name.Length > MaxNameLength) found.Add(new("name", $"The program name may have at most {MaxNameLength} characters."));

        var topics = proposal.Topics;
        if (topics is null || topics.Count == 0) found.Add(new("topics", "A program needs at least one curriculum topic."));
        else if (topics.Count > MaxTopics) found.Add(new("topics", $"A program may have at most {MaxTopics} topics."));
        else
        {
            for (var i = 0; i < topics.Count; i++)
            {
                var title = topics[i]?.Title?.Trim();
                if (string.IsNullOrEmpty(title)) found.Add(new($"topics[{i}].title", "The topic title is required."));
                else if (title.Length > MaxNameLength)
                    found.Add(new($"topics[{i}].title", $"The topic title may have at most {MaxNameLength} characters."));
                if (topics[i]?.Kind is null) found.Add(new($"topics[{i}].kind", "The topic's session kind is required."));
            }
        }

        IReadOnlyList<NewPhase> phases = topics is { Count: > 0 and <= MaxTopics } ? ProgramPhases.Validate(proposal.Phases, topics.Count, found) : [];

        errors = found;
        program = found.Count == 0
            ? new NewProgram(name!, topics!.Select((t, i) => new NewTopic(i + 1, t!.Title!.Trim(), t.Kind!.Value)).ToList()) { Phases = phases }
            : null;
        return program is not null;
    }
}
