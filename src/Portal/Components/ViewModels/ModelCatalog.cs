using ModelWatch.Engine.Registry;

namespace ModelWatch.Portal.Components.ViewModels;

/// <summary>The registry as pages see it: only what a viewer may read.</summary>
public interface IModelCatalog
{
    IReadOnlyList<ModelDefinition> Visible(Viewer viewer);

    ModelDefinition? Find(string modelId);

    IReadOnlyList<string> Versions(ModelDefinition model);
}

public sealed class RegistryModelCatalog(RegistryStore registry) : IModelCatalog
{
    public IReadOnlyList<ModelDefinition> Visible(Viewer viewer) => registry.ListModels().Where(viewer.CanRead).ToList();

    public ModelDefinition? Find(string modelId) => registry.FindModel(modelId);

    // Newest first: the version a user most likely wants to filter on.
    public IReadOnlyList<string> Versions(ModelDefinition model) => registry.ListVersions(model).Select(v => v.Version).Reverse().ToList();
}
