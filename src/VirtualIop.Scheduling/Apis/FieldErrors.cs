using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

/// <summary>
/// The domain rules report <see cref="FieldError"/>s (Domain knows no HTTP); these put them into the BuildingBlocks
/// <see cref="ValidationErrors"/> every 400 is built from, beside a handler's own checks.
/// </summary>
static class FieldErrors
{
    public static ValidationErrors AddAll(this ValidationErrors problems, IEnumerable<FieldError> errors)
    {
        foreach (var error in errors) problems.Add(error.Field, error.Message);
        return problems;
    }

    public static IDictionary<string, string[]> ToProblemErrors(this IEnumerable<FieldError> errors) => new ValidationErrors().AddAll(errors).ToDictionary();

    public static ValidationProblem Problem(params FieldError[] errors) => TypedResults.ValidationProblem(errors.ToProblemErrors());
}
