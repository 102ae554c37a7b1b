namespace Berth.Images.Tests.Layers;

/// <summary>
/// A tree holding every kind of file a layer can carry: regular (empty, small, 3 MB random, a 64 MB
/// sparse one), hard links, symlinks (relative, absolute, dangling, long), character and block
/// devices, a fifo, directories with odd modes, set-id and sticky bits, user/trusted/security
/// xattrs and a file capability, owners 0, 1000, 65534 and ids past 2^21 (PAX), long and non-ASCII
/// names, and distinct mtimes with nanoseconds on everything.
/// </summary>
public static class SampleTree
{
    const string Build = """
set -e
cd "$1"
mkdir -p dir/sub 'odd modes' deep
echo hello > dir/file.txt
: > empty
head -c 3000000 /dev/urandom > big.bin
truncate -s 64M sparse.img
printf 'A' | dd of=sparse.img bs=1 seek=1000000 conv=notrunc status=none
printf 'B%.0s' $(seq 1 9000) | dd of=sparse.img bs=1 seek=40000000 conv=notrunc status=none
ln dir/file.txt hardlink1
ln dir/file.txt dir/sub/hardlink2
ln -s dir/file.txt rel-link
ln -s /etc/passwd abs-link
ln -s nowhere/at/all dangling
mknod chr c 1 3
mknod blk b 7 0
mkfifo fifo
echo s > setuid-bin && chmod 4755 setuid-bin
echo g > setgid-file && chmod 2755 setgid-file
echo z > zero-mode && chmod 0 zero-mode
mkdir 'odd modes/private' && chmod 0700 'odd modes/private'
mkdir 'odd modes/sticky' && chmod 1777 'odd modes/sticky'
mkdir 'odd modes/setgid' && echo in > 'odd modes/setgid/file' && chmod 2775 'odd modes/setgid'
mkdir 'odd modes/readonly' && echo ro > 'odd modes/readonly/file' && chmod 0555 'odd modes/readonly'
mkdir 'odd modes/none' && chmod 0 'odd modes/none'
echo a > owned1000 && chown 1000:1000 owned1000
echo b > nobody && chown 65534:65534 nobody
echo c > bigid && chown 4000000000:3000000000 bigid
ln -sfn bigid biglink && chown -h 2500000:2500001 biglink
long=deep/$(printf 'd%.0s' $(seq 1 60))/$(printf 'e%.0s' $(seq 1 60))
mkdir -p "$long" && echo long > "$long/$(printf 'f%.0s' $(seq 1 120))"
echo name > "deep/$(printf 'n%.0s' $(seq 1 200))"
ln -s "$(printf 'target%.0s' $(seq 1 30))" longtarget
echo u > 'ünïcødé ñame.txt'
python3 - <<'EOF'
import os
os.setxattr('dir/file.txt', 'user.comment', b'hello xattr')
os.setxattr('dir/file.txt', 'trusted.berth', b'\x00\x01binary\xff')
os.setxattr('dir', 'user.dirattr', b'd')
os.setxattr('dir', 'trusted.dirattr', b'td')
os.setxattr('abs-link', 'trusted.linkattr', b'l', follow_symlinks=False)
# cap_net_bind_service, effective (VFS_CAP_REVISION_2)
os.setxattr('setuid-bin', 'security.capability', bytes([1,0,0,2, 0,4,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0]))
paths = []
for d, dirs, files in os.walk('.'):
    for n in dirs + files:
        paths.append(os.path.join(d, n))
# Children before their directories, so that setting a child's time does not disturb its parent's.
paths.sort(key=lambda p: (-p.count('/'), p))
base = 1000000000 * 1500000000
for i, p in enumerate(paths):
    t = base + i * 1000003 * 1000 + 123456789 + i
    os.utime(p, ns=(t, t), follow_symlinks=False)
EOF
""";

    public static void Create(string root) => Sh.Ok($"bash -c '{Build.Replace("'", "'\\''")}' build '{root}'");
}
