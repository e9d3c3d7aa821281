namespace VirtualIop.Scheduling.Domain;

/// <summary>A phase as a clinic proposes it: a name and the curriculum topics it covers, by their 1-based position.</summary>
public sealed record PhaseProposal(string? Name, IReadOnlyList<int?>? Topics);

/// <summary>A phase that passed the rules: its place in order, its name and the positions of the topics it covers.</summary>
public sealed record NewPhase(int Position, string Name, IReadOnlyList<int> TopicPositions);

/// <summary>A program's phase as stored: its place in order, its name and its topics.</summary>
public sealed record Phase(int Position, string Name, IReadOnlyList<Guid> TopicIds);

/// <summary>
/// A program's ordered phases, each a set of its curriculum topics. A program may have none (nothing then waits for
/// missed content); when it has any, every topic belongs to exactly one phase, so no missed topic escapes the check.
/// </summary>
public static class ProgramPhases
{
    public const int MaxPhases = 52;

    public static IReadOnlyList<NewPhase> Validate(IReadOnlyList<PhaseProposal?>? phases, int topicCount, List<FieldError> errors)
    {
        if (phases is null || phases.Count == 0) return [];
        if (phases.Count > MaxPhases)
        {
            errors.Add(new("phases", $"A program may have at most {MaxPhases} phases."));
            return [];
        }
        var before = errors.Count;
        var phaseOfTopic = new Dictionary<int, int>();
        var valid = new List<NewPhase>();
        for (var i = 0; i < phases.Count; i++)
        {
            var name = phases[i]?.Name?.Trim();
            if (string.IsNullOrEmpty(name)) errors.Add(new($"phases[{i}].name", "The phase name is required."));
            else if (name.Length > NewProgram.MaxNameLength)
                errors.Add(new($"phases[{i}].name", $"The phase name may have at most {NewProgram.MaxNameLength} characters."));
            var topics = phases[i]?.Topics;
            if (topics is null || topics.Count == 0)
            {
                errors.Add(new($"phases[{i}].topics", "A phase covers at least one topic, by its position in the curriculum (1 is the first)."));
                continue;
            }
            if (topics.Count > topicCount)
            {
                errors.Add(new($"phases[{i}].topics", $"A phase covers at most the curriculum's {topicCount} topics."));
                continue;
            }
            foreach (var topic in topics)
            {
                if (topic is not { } position || position < 1 || position > topicCount)
                    errors.Add(new($"phases[{i}].topics", $"Each topic is a position in the curriculum, 1 to {topicCount}."));
                else if (!phaseOfTopic.TryAdd(position, i))
                    errors.Add(new($"phases[{i}].topics", $"Topic {position} already belongs to phases[{phaseOfTopic[position]}]; a topic is in one phase."));
            }
            valid.Add(new NewPhase(i + 1, name ?? "", topics.OfType<int>().Order().ToList()));
        }
        if (errors.Count == before && phaseOfTopic.Count < topicCount)
        {
            var missing = Enumerable.Range(1, topicCount).Where(p => !phaseOfTopic.ContainsKey(p));
            errors.Add(new("phases", $"Every topic belongs to a phase; topics {string.Join(", ", missing)} belong to none."));
        }
        return errors.Count == before ? valid : [];
    }
}
