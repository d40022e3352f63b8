using Microsoft.AspNetCore.Http;
using Nimbus.Core.Functions;

namespace Nimbus.Server.Api;

/// <summary>Why the control plane refused a change; rendered as ProblemDetails by <see cref="ApiProblems.From"/>.</summary>
/// <param name="Errors">For a 400: every invalid field, with its path (<c>routes[0].path</c>).</param>
/// <param name="Extensions">Extra ProblemDetails members, e.g. the conflicting route and its owner for a 409.</param>
public sealed record ControlError(
    int Status,
    string Title,
    string Detail,
    IReadOnlyList<ValidationError>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static ControlError FunctionNotFound(string name) =>
        new(StatusCodes.Status404NotFound, "Function not found", $"Function not found: {name}");

    public static ControlError NotFound(string title, string detail) => new(StatusCodes.Status404NotFound, title, detail);

    public static ControlError Invalid(string title, IReadOnlyList<ValidationError> errors) =>
        new(StatusCodes.Status400BadRequest, title, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    public static ControlError Conflict(string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, title, detail, null, extensions);
}
