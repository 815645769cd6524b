namespace Predictor.Core.Configuration;

/// <summary>The configuration section an options type is bound from; validation messages name their keys under it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OptionsSectionAttribute(string name) : Attribute
{
    /// <summary>The section path, e.g. <c>Limits</c> or <c>Hypervisors:Qemu</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The section <paramref name="type"/> is bound from, or its name when it declares none.</summary>
    public static string Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetCustomAttributes(typeof(OptionsSectionAttribute), inherit: false) is [OptionsSectionAttribute section, ..]
            ? section.Name
            : type.Name;
    }
}
