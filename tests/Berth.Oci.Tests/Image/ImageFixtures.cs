namespace Berth.Oci.Tests.Image;

/// <summary>
/// Image documents modelled on Docker Hub's busybox and on a Dockerfile-built app, written as their producers write
/// them (generated once with a Python script that mimics Go's encoding/json: compact configs with \u0026 escapes,
/// Docker manifests indented with 3 spaces, BuildKit's OCI documents with 2). They are consistent: every descriptor's
/// size and digest are those of the fixture it points at. Layer digests are sha256 of stand-in strings, not real tars.
/// </summary>
internal static class ImageFixtures
{
    public const string BusyboxConfigAmd64 = """"{"architecture":"amd64","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"created":"2024-09-26T21:31:42Z","history":[{"created":"2024-09-26T21:31:42Z","created_by":"BusyBox 1.37.0 (glibc), Debian 13"}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:51e81d5348c40f3ff4bfdc700dc51af88c3a61fdfd9bb2f4f57404e910c6af26"]}}"""";

    public const string BusyboxConfigArm64 = """"{"architecture":"arm64","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"created":"2024-09-26T21:31:42Z","history":[{"created":"2024-09-26T21:31:42Z","created_by":"BusyBox 1.37.0 (glibc), Debian 13"}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:1363a30e002f510c62d63b7c1214803e6e10ec54169d4da6506185f7f214e13a"]},"variant":"v8"}"""";

    public const string DockerManifestAmd64 = """"
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": {
              "mediaType": "application/vnd.docker.container.image.v1+json",
              "size": 380,
              "digest": "sha256:6747d531b835de31cc3da0d9aaf0fb825692af9d6bc29881462085f5b295bb5e"
           },
           "layers": [
              {
                 "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "size": 2152262,
                 "digest": "sha256:506fc6365cdb0494410af2acac8bab771bfa0e4c39de1006d2c161a8c338ef7d"
              }
           ]
        }
        """";

    public const string DockerManifestArm64 = """"
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
           "config": {
              "mediaType": "application/vnd.docker.container.image.v1+json",
              "size": 395,
              "digest": "sha256:71c1dcb29315c7025b4448284f38f72223ee5178a3441811e466234bc84dc0ed"
           },
           "layers": [
              {
                 "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "size": 1996430,
                 "digest": "sha256:c1dd1a0b2a2712fb83d8f43447d95d1ab1881a579b350311ef1c5c3e2eba481a"
              }
           ]
        }
        """";

    public const string DockerManifestList = """"
        {
           "schemaVersion": 2,
           "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
           "manifests": [
              {
                 "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "size": 527,
                 "digest": "sha256:c29670086fd15d866bdebbd3ce1fb87f2fc692eb0cb09d2baf60c9e025489611",
                 "platform": {
                    "architecture": "amd64",
                    "os": "linux"
                 }
              },
              {
                 "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "size": 527,
                 "digest": "sha256:27e78e832ffc3a23d03c918ead5eacbacaf0aee76706a39146f74d7f6671d637",
                 "platform": {
                    "architecture": "arm64",
                    "os": "linux",
                    "variant": "v8"
                 }
              }
           ]
        }
        """";

    public const string DockerManifestListSorted = """"
        {
           "manifests": [
              {
                 "digest": "sha256:c29670086fd15d866bdebbd3ce1fb87f2fc692eb0cb09d2baf60c9e025489611",
                 "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "platform": {
                    "architecture": "amd64",
                    "os": "linux"
                 },
                 "size": 527
              },
              {
                 "digest": "sha256:27e78e832ffc3a23d03c918ead5eacbacaf0aee76706a39146f74d7f6671d637",
                 "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "platform": {
                    "architecture": "arm64",
                    "os": "linux",
                    "variant": "v8"
                 },
                 "size": 527
              }
           ],
           "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
           "schemaVersion": 2
        }
        """";

    public const string OciManifestAmd64 = """"
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:6747d531b835de31cc3da0d9aaf0fb825692af9d6bc29881462085f5b295bb5e",
            "size": 380
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "sha256:506fc6365cdb0494410af2acac8bab771bfa0e4c39de1006d2c161a8c338ef7d",
              "size": 2152262
            }
          ]
        }
        """";

    public const string AttestationConfig = """"{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:c7bc716846e7756cc4fcd87f70ef5d8b78a49ee24d100510dc872f105635e459"]}}"""";

    public const string OciAttestationManifest = """"
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:85660ccd0b7c2514918abbd0762be35bfbfdc68547c54b09221edab272859b4d",
            "size": 167
          },
          "layers": [
            {
              "mediaType": "application/vnd.in-toto+json",
              "digest": "sha256:c7bc716846e7756cc4fcd87f70ef5d8b78a49ee24d100510dc872f105635e459",
              "size": 1843,
              "annotations": {
                "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"
              }
            }
          ]
        }
        """";

    public const string OciIndex = """"
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:8a609e1471027f06255fa33e1a0b13d342f06d0d1d56f517ad91bd30b5f4cd51",
              "size": 480,
              "platform": {
                "architecture": "amd64",
                "os": "linux"
              }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:1f66b631a402c29af929a33ed92ef288447ea52fee46d46ccf9898ccc8012864",
              "size": 566,
              "annotations": {
                "vnd.docker.reference.digest": "sha256:8a609e1471027f06255fa33e1a0b13d342f06d0d1d56f517ad91bd30b5f4cd51",
                "vnd.docker.reference.type": "attestation-manifest"
              },
              "platform": {
                "architecture": "unknown",
                "os": "unknown"
              }
            }
          ]
        }
        """";

    public const string OciArtifactManifest = """"
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "artifactType": "application/vnd.example.signature.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.empty.v1+json",
            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "size": 2
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.empty.v1+json",
              "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
              "size": 2,
              "data": "e30="
            }
          ],
          "subject": {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:8a609e1471027f06255fa33e1a0b13d342f06d0d1d56f517ad91bd30b5f4cd51",
            "size": 480
          },
          "annotations": {
            "org.opencontainers.image.created": "2024-10-01T12:00:00Z"
          }
        }
        """";

    public const string AppConfig = """"{"architecture":"amd64","config":{"User":"app","ExposedPorts":{"443/tcp":{},"8080/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","APP_HOME=/srv/app"],"Entrypoint":["/usr/local/bin/app"],"Cmd":["--listen",":8080"],"Volumes":{"/srv/data":{}},"WorkingDir":"/srv/app","Labels":{"maintainer":"Berth \u003cberth@example.com\u003e","org.opencontainers.image.source":"https://example.com/app"},"StopSignal":"SIGTERM","Healthcheck":{"Test":["CMD-SHELL","wget -q -O- http://localhost:8080/ || exit 1"],"Interval":30000000000,"Timeout":5000000000,"StartPeriod":1500000000,"Retries":3},"OnBuild":["RUN echo child"],"Shell":["/bin/bash","-o","pipefail","-c"]},"created":"2024-10-01T12:34:56.123456789Z","history":[{"created":"2024-09-26T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:4b1be1de1a1e5aa608c688cad2824587262081866180d7368feb79d33ca05953 in / "},{"created":"2024-09-26T00:00:00Z","created_by":"/bin/sh -c #(nop)  CMD [\"bash\"]","empty_layer":true},{"created":"2024-10-01T12:34:50.5Z","created_by":"RUN /bin/sh -c apt-get update \u0026\u0026 apt-get install -y --no-install-recommends wget \u0026\u0026 rm -rf /var/lib/apt/lists/* # buildkit","comment":"buildkit.dockerfile.v0"},{"created":"2024-10-01T12:34:55.000000001Z","created_by":"ENV APP_HOME=/srv/app","comment":"buildkit.dockerfile.v0","empty_layer":true},{"created":"2024-10-01T12:34:56.123456789Z","created_by":"COPY app /usr/local/bin/app # buildkit","comment":"buildkit.dockerfile.v0"}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:c1b24c2ea5bb7ec84f4f057a1e60677b5966f3201bd05bbc067200bffffb3ef6","sha256:e884919347cb3d5fb022b3cac78cb9cef6d3c5500434ef8f7342590cfce8881e","sha256:38d5d5faaef83b1ba88789a80db215dbbdd61d224cb49c7dad0fc5daf6081615"]}}"""";

    public const string LegacyDockerConfig = """"{"architecture":"amd64","config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"Image":"sha256:3c0ff84b5e8e0d4c0b4e7b0a8f5b0c1d2e3f405162738495a6b7c8d9e0f1a2b3","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"container":"b0d4f4e9c6a1d1b7e0f2e6a0c9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0","container_config":{"Hostname":"b0d4f4e9c6a1","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh","-c","#(nop) ","CMD [\"sh\"]"],"Image":"sha256:3c0ff84b5e8e0d4c0b4e7b0a8f5b0c1d2e3f405162738495a6b7c8d9e0f1a2b3","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{}},"created":"2023-07-18T23:19:33.655005962Z","docker_version":"20.10.23","history":[{"created":"2023-07-18T23:19:33.538571854Z","created_by":"/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1 in / "},{"created":"2023-07-18T23:19:33.655005962Z","created_by":"/bin/sh -c #(nop)  CMD [\"sh\"]","empty_layer":true}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:51e81d5348c40f3ff4bfdc700dc51af88c3a61fdfd9bb2f4f57404e910c6af26"]}}"""";
}
