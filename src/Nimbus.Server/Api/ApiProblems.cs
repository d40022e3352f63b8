using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Nimbus.Core.Functions;

namespace Nimbus.Server.Api;

/// <summary>The management API's error answers, all ProblemDetails.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult FunctionNotFound(string name) =>
        TypedResults.Problem(title: "Function not found", detail: $"Function not found: {name}", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ValidationProblem Invalid(IEnumerable<ValidationError> errors, string title = "Invalid function configuration")
    {
        var list = errors.ToList();
        return TypedResults.ValidationProblem(
            list.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: title,
            detail: string.Join("; ", list.Select(e => $"{e.Field}: {e.Message}")));
    }

    /// <summary>Renders a control-plane refusal: a 400 lists every field; other statuses carry their extensions.</summary>
    public static IResult From(ControlError error) => error.Errors is { } errors
        ? Invalid(errors, error.Title)
        : TypedResults.Problem(title: error.Title, detail: error.Detail, statusCode: error.Status,
            extensions: error.Extensions?.ToDictionary(pair => pair.Key, pair => pair.Value));
}
