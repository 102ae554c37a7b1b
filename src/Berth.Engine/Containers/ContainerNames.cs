using System.Text.RegularExpressions;

namespace Berth.Engine.Containers;

/// <summary>Docker's container names: the grammar, and generated names (adjective_surname).</summary>
public static partial class ContainerNames
{
    static readonly string[] Adjectives =
    [
        "admiring", "agitated", "amazing", "angry", "awesome", "blissful", "bold", "brave", "busy", "charming",
        "clever", "compassionate", "competent", "confident", "cool", "cranky", "crazy", "dazzling", "determined",
        "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "fervent",
        "festive", "flamboyant", "focused", "friendly", "frosty", "gallant", "gifted", "goofy", "gracious", "great",
        "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent", "jolly",
        "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty",
        "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive",
        "practical", "priceless", "quirky", "quizzical", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
        "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting",
        "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful",
        "zealous", "zen",
    ];

    static readonly string[] Surnames =
    [
        "agnesi", "albattani", "allen", "archimedes", "babbage", "banach", "bardeen", "bartik", "bassi", "bell",
        "bhabha", "blackwell", "bohr", "booth", "borg", "bose", "brattain", "brown", "carson", "cerf", "chandrasekhar",
        "clarke", "curie", "darwin", "davinci", "dijkstra", "einstein", "elion", "engelbart", "euclid", "euler",
        "faraday", "fermat", "fermi", "feynman", "franklin", "galileo", "gauss", "goldberg", "goodall", "hamilton",
        "hawking", "heisenberg", "hertz", "hodgkin", "hopper", "hypatia", "jackson", "jennings", "johnson", "kalam",
        "kepler", "knuth", "kowalevski", "lalande", "lamarr", "leakey", "lovelace", "lumiere", "mayer", "mccarthy",
        "mcclintock", "meitner", "mendel", "mirzakhani", "morse", "napier", "newton", "nobel", "noether", "pascal",
        "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy", "raman", "ritchie", "rosalind", "sammet",
        "shannon", "shockley", "sinoussi", "stonebraker", "swanson", "tesla", "thompson", "torvalds", "turing",
        "varahamihira", "villani", "wescoff", "wilbur", "wiles", "williams", "wozniak", "wright", "yalow", "yonath",
    ];

    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Valid();

    /// <summary>The name with Docker's leading slash, or Docker's error for an invalid one.</summary>
    public static string Normalize(string name)
    {
        if (!Valid().IsMatch(name))
            throw EngineException.Invalid($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return name.StartsWith('/') ? name : "/" + name;
    }

    /// <summary>A random adjective_surname, with a digit appended after the first retry as Docker does.</summary>
    public static string Generate(int retry)
    {
        string name = $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Surnames[Random.Shared.Next(Surnames.Length)]}";
        return retry > 0 ? name + Random.Shared.Next(10) : name;
    }
}
