global using Microsoft.Extensions.DependencyInjection.Extensions;
global using Microsoft.Extensions.Options;
