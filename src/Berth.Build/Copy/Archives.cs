using System.Diagnostics;
using System.IO.Compression;
using Berth.Build.Context;
using Berth.Images;
using Berth.Images.Layers;

namespace Berth.Build.Copy;

/// <summary>
/// ADD's local archives, recognised by content as go-archive's IsArchivePath does (the stream decompressed, then a
/// first tar header that reads): tar, gzip, bzip2, xz, zstd. bzip2 and xz go through the host's bzip2 and xz
/// programs (Docker too runs xz for xz); the rest is decompressed in process.
/// </summary>
internal static class Archives
{
    enum Kind { None, Gzip, Bzip2, Xz, Zstd }

    public static bool IsArchive(FileStream file)
    {
        try
        {
            using var plain = Decompress(file, leaveOpen: true, out _);
            var block = new byte[TarFields.BlockSize];
            int n = 0;
            for (int r; n < block.Length && (r = plain.Read(block, n, block.Length - n)) > 0;)
                n += r;
            return n == block.Length && block.AsSpan().ContainsAnyExcept((byte)0)
                && TarFields.TryParseNumber(block.AsSpan(TarFields.Checksum, 8), out long sum)
                && TarFields.ComputeChecksum(block) is var (unsigned, signed) && (sum == unsigned || sum == signed);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            file.Position = 0;
        }
    }

    /// <summary>UntarPath: the archive's entries (owners, modes and times as the archive says) into the directory <paramref name="dirFd"/>.</summary>
    public static void Extract(FileStream file, int dirFd, string name)
    {
        using var plain = Decompress(file, leaveOpen: true, out _);
        try
        {
            LayerApplier.Apply(plain, dirFd, name, new ApplyOptions { Whiteouts = WhiteoutMode.None });
        }
        catch (StoreException e)
        {
            throw new BuildContextException($"ADD failed: failed to extract {name}: {e.Message}", e, e.Kind != StoreErrorKind.Internal);
        }
    }

    static Stream Decompress(FileStream file, bool leaveOpen, out Kind kind)
    {
        Span<byte> head = stackalloc byte[6];
        int n = file.Read(head);
        file.Position = 0;
        head = head[..n];
        kind = head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b, 0x08]) ? Kind.Gzip
            : head.StartsWith("BZh"u8) ? Kind.Bzip2
            : head.StartsWith((ReadOnlySpan<byte>)[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) ? Kind.Xz
            : head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]) ? Kind.Zstd
            : Kind.None;
        return kind switch
        {
            Kind.Gzip => new GZipStream(file, CompressionMode.Decompress, leaveOpen),
            Kind.Zstd => new ZstdSharp.DecompressionStream(file, leaveOpen: leaveOpen),
            Kind.Bzip2 => new ProgramStream("bzip2", file),
            Kind.Xz => new ProgramStream("xz", file),
            _ => new NonClosing(file),
        };
    }

    /// <summary>"PROGRAM -d -c" fed the file on stdin; reading gives its stdout; a failure surfaces at the end of the data.</summary>
    sealed class ProgramStream : Stream
    {
        readonly Process _process;
        readonly Stream _stdout;
        readonly string _program;

        public ProgramStream(string program, FileStream input)
        {
            _program = program;
            var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-d");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("-q");
            _process = Process.Start(start) ?? throw new BuildContextException($"{program}: could not be started", isUserError: false);
            var position = input.Position;
            _ = Task.Run(() =>
            {
                try
                {
                    input.CopyTo(_process.StandardInput.BaseStream);
                }
                catch (IOException)
                {
                    // The program stopped reading (it failed, or the reader was disposed): its exit status says why.
                }
                finally
                {
                    try
                    {
                        _process.StandardInput.Close();
                    }
                    catch (IOException)
                    {
                    }
                }
            });
            _stdout = _process.StandardOutput.BaseStream;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _stdout.Read(buffer, offset, count);
            if (n == 0)
            {
                _process.WaitForExit();
                if (_process.ExitCode != 0)
                    throw new InvalidDataException($"{_program}: {_process.StandardError.ReadToEnd().Trim()}");
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                if (!_process.HasExited)
                {
                    try
                    {
                        _process.Kill(); // by its id: the process this stream started
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
                _process.WaitForExit();
                _process.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    sealed class NonClosing(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
