using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

static class FieldErrors
{
    public static IDictionary<string, string[]> ToProblemErrors(this IEnumerable<FieldError> errors)
    {
        var problems = new ValidationErrors();
        foreach (var error in errors) problems.Add(error.Field, error.Message);
        return problems.ToDictionary();
    }

    public static ValidationProblem Problem(params FieldError[] errors) => TypedResults.ValidationProblem(errors.ToProblemErrors());
}
