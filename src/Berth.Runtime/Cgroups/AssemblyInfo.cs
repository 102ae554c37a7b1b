using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Runtime.Tests")]
