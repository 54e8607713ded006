namespace OrleansWg.Gateway.Http;

/// <summary>A request body that knows what is wrong with it.</summary>
public interface IValidatable
{
    Validation Validate();
}
