using Portico.Configuration;

namespace Portico.Geo;

/// <summary>GeoIP's section of the config: the databases (<c>set ns geoip</c>), registered by the geo command module.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class GeoSections
{
    public static readonly ConfigSection<GeoIpSettings, GeoIpSettings> GeoIpSection = ConfigSection.Value("ns geoip", GeoIpSettings.None);

    extension(RunningConfig config)
    {
        /// <summary>The GeoIP databases (<c>set ns geoip</c>).</summary>
        public GeoIpSettings GeoIp => config.Get(GeoIpSection);
    }

    extension(ConfigBuilder batch)
    {
        public GeoIpSettings GeoIp
        {
            get => batch.Edit(GeoIpSection);
            set => batch.Set(GeoIpSection, value);
        }
    }
}
