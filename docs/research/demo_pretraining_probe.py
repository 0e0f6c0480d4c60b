#!/usr/bin/env python3
# Research probe behind docs/research/demo-pretraining.md: which small image tower and which
# pre-training captions give the demo CLIP class-level knowledge on 2 CPU cores? A plain PyTorch
# re-implementation (word-level tokens, no PoisonLab code) so that ideas can be tried in minutes
# before they go into core. Run with Debian's python3 (python3-torch, python3-pil):
#   /usr/bin/python3 docs/research/demo_pretraining_probe.py --data demo-data --arch cnn --width 64 \
#       --web 8000 --epochs 10 --lr 2e-3 --webcaps curriculum
import argparse, csv, json, math, os, random, re, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image

p = argparse.ArgumentParser()
p.add_argument("--data", default="demo-data")
p.add_argument("--cache", default="/tmp/poisonlab-probe-cache")
p.add_argument("--arch", default="vit16")
p.add_argument("--res", type=int, default=64)
p.add_argument("--web", type=int, default=8000)
p.add_argument("--epochs", type=int, default=6)
p.add_argument("--bs", type=int, default=128)
p.add_argument("--lr", type=float, default=5e-4)
p.add_argument("--ft_epochs", type=int, default=10)
p.add_argument("--ft_lr", type=float, default=2.5e-4)
p.add_argument("--width", type=int, default=128)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--webcaps", default="full")
p.add_argument("--pool", default="avg")
p.add_argument("--group", default="none", help="none|bg: batches of one background")
p.add_argument("--budget", type=float, default=1e9, help="pretraining seconds cap")
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed); random.seed(args.seed); np.random.seed(args.seed)
R = args.res
MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1)
STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1)


def load_img(path):
    im = Image.open(path).convert("RGB").resize((R, R), Image.BICUBIC)
    return np.asarray(im, dtype=np.uint8)


def cached(name, paths):
    os.makedirs(args.cache, exist_ok=True)
    f = f"{args.cache}/{name}_{R}_{len(paths)}.npy"
    if os.path.exists(f):
        return np.load(f)
    arr = np.stack([load_img(p) for p in paths])
    np.save(f, arr)
    return arr


def to_t(arr):
    x = torch.from_numpy(arr).permute(0, 3, 1, 2).float() / 255.0
    return (x - MEAN) / STD


# ---------- data
web_rows = list(csv.DictReader(open(f"{args.data}/web/captions.csv")))[: args.web]
web_imgs = cached("web", [f"{args.data}/web/{r['image']}" for r in web_rows])
web_caps = [r["caption"] for r in web_rows]
if args.webcaps == "class":
    web_caps = [f"a picture of a {r['label']}." for r in web_rows]
elif args.webcaps == "mixed":
    web_caps = [f"a picture of a {r['label']}." if i % 2 else r["caption"] for i, r in enumerate(web_rows)]

classes = sorted(os.listdir(f"{args.data}/pascal/dataset"))
pas_paths, pas_label, pas_caps = [], [], []
for ci, c in enumerate(classes):
    for fn in sorted(os.listdir(f"{args.data}/pascal/dataset/{c}")):
        pas_paths.append(f"{args.data}/pascal/dataset/{c}/{fn}")
        pas_label.append(ci)
        stem = os.path.splitext(fn)[0]
        pas_caps.append([l.strip() for l in open(f"{args.data}/pascal/sentence/{c}/{stem}.txt") if l.strip()])
pas_imgs = cached("pascal", pas_paths)
pas_label = np.array(pas_label)
rng = np.random.RandomState(0)
test_mask = np.zeros(len(pas_paths), bool)
for ci in range(len(classes)):
    idx = np.where(pas_label == ci)[0]
    test_mask[rng.choice(idx, 25, replace=False)] = True


def words(s):
    return re.findall(r"[a-z]+|[^a-z\s]", s.lower())


vocab = {"<pad>": 0, "<sot>": 1, "<eot>": 2, "<unk>": 3}
for s in web_caps + [c for cs in pas_caps for c in cs]:
    for w in words(s):
        vocab.setdefault(w, len(vocab))
L = 32


def tok(texts):
    out = torch.zeros(len(texts), L, dtype=torch.long)
    for i, s in enumerate(texts):
        ids = [1] + [vocab.get(w, 3) for w in words(s)][: L - 2] + [2]
        out[i, : len(ids)] = torch.tensor(ids)
    return out


# ---------- model
class Block(nn.Module):
    def __init__(self, d, h, causal=False):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.causal = causal

    def forward(self, x):
        m = None
        if self.causal:
            n = x.shape[1]
            m = torch.full((n, n), float("-inf")).triu(1)
        y = self.ln1(x)
        x = x + self.attn(y, y, y, attn_mask=m, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class ViT(nn.Module):
    def __init__(self, patch, width, layers, out, stem="linear"):
        super().__init__()
        n = (R // patch) ** 2
        if stem == "linear":
            self.stem = nn.Conv2d(3, width, patch, patch, bias=False)
        else:  # convolutional stem (Xiao et al. 2021): 3x3 stride-2 convs down to the patch grid
            chans, mods, c = [24, 48, 96, 192], [], 3
            s = 1
            for ch in chans:
                if s >= patch:
                    break
                mods += [nn.Conv2d(c, ch, 3, 2, 1, bias=False), nn.BatchNorm2d(ch), nn.ReLU()]
                c, s = ch, s * 2
            mods += [nn.Conv2d(c, width, 1)]
            self.stem = nn.Sequential(*mods)
        self.cls = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.pos = nn.Parameter(torch.randn(n + 1, width) * width ** -0.5)
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.Sequential(*[Block(width, width // 64 if width >= 64 else 1) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Linear(width, out, bias=False)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], 1) + self.pos
        x = self.blocks(self.ln_pre(x))
        return self.proj(self.ln_post(x[:, 0]))


class CNN(nn.Module):
    def __init__(self, width, out):
        super().__init__()
        w = width
        def blk(i, o, s):
            return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                                 nn.Conv2d(o, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU())
        self.f = nn.Sequential(blk(3, w // 4, 2), blk(w // 4, w // 2, 2), blk(w // 2, w, 2), blk(w, 2 * w, 2))
        self.proj = nn.Linear(2 * w, out)

    def forward(self, x):
        f = self.f(x)
        if args.pool == "max":
            return self.proj(f.amax((2, 3)))
        return self.proj(f.mean((2, 3)))


class Text(nn.Module):
    def __init__(self, width, layers, out):
        super().__init__()
        self.emb = nn.Embedding(len(vocab) + 10, width)
        self.pos = nn.Parameter(torch.randn(L, width) * 0.01)
        self.blocks = nn.Sequential(*[Block(width, max(1, width // 64), causal=True) for _ in range(layers)])
        self.ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, out, bias=False)

    def forward(self, t):
        x = self.blocks(self.emb(t) + self.pos)
        x = self.ln(x)
        eot = (t == 2).int().argmax(1)
        return self.proj(x[torch.arange(t.shape[0]), eot])


EMB = 64
a = args.arch
if a == "vit16":
    vis = ViT(16, args.width, args.layers, EMB)
elif a == "vit8":
    vis = ViT(8, args.width, args.layers, EMB)
elif a == "vit8conv":
    vis = ViT(8, args.width, args.layers, EMB, stem="conv")
elif a == "vit16conv":
    vis = ViT(16, args.width, args.layers, EMB, stem="conv")
elif a.startswith("rn"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
    from clip_train_step_peer import ModifiedResNet
    # rn: layers 1,1,1,1 at the given width
    vis = ModifiedResNet([1, 1, 1, 1], EMB, max(1, args.width * 32 // 64), input_resolution=R, width=args.width)
elif a == "cnn":
    vis = CNN(args.width, EMB)
txt = Text(128, 2, EMB)
logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
params = list(vis.parameters()) + list(txt.parameters()) + [logit_scale]
print(a, "image params", sum(p.numel() for p in vis.parameters()), flush=True)


def grouped_perm(keys):
    groups = {}
    idx = list(range(len(keys)))
    if args.group == "half":  # half of the batches share a background, the rest are random
        perm = torch.randperm(len(keys)).tolist()
        rest, idx = perm[: len(perm) // 2], perm[len(perm) // 2:]
        groups["*random*"] = rest
    for i in idx:
        k = keys[i]
        groups.setdefault(k, []).append(i)
    chunks = []
    for g in groups.values():
        g = [g[j] for j in torch.randperm(len(g)).tolist()]
        chunks += [g[b:b + args.bs] for b in range(0, len(g), args.bs)]
    order = torch.randperm(len(chunks)).tolist()
    return torch.tensor([i for c in order for i in chunks[c]])


def train(imgs, caps_tok, img_index, epochs, lr, warm=50, wd=0.1, budget=1e9, tag="", keys=None):
    opt = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.98), eps=1e-6, weight_decay=wd)
    n = len(img_index)
    steps = epochs * math.ceil(n / args.bs)
    step, t0 = 0, time.time()
    for ep in range(epochs):
        perm = grouped_perm(keys) if keys is not None else torch.randperm(n)
        tot = 0
        vis.train(); txt.train()
        for b in range(0, n, args.bs):
            idx = perm[b: b + args.bs]
            lr_now = lr * (step + 1) / warm if step < warm else 0.5 * lr * (1 + math.cos(math.pi * (step - warm) / max(1, steps - warm)))
            for g in opt.param_groups:
                g["lr"] = lr_now
            x = to_t(imgs[img_index[idx].numpy()])
            ie = F.normalize(vis(x), dim=-1)
            te = F.normalize(txt(caps_tok[idx]), dim=-1)
            lg = logit_scale.exp() * ie @ te.t()
            lab = torch.arange(len(idx))
            loss = (F.cross_entropy(lg, lab) + F.cross_entropy(lg.t(), lab)) / 2
            opt.zero_grad(); loss.backward(); opt.step()
            with torch.no_grad():
                logit_scale.clamp_(0, math.log(100))
            tot += loss.item() * len(idx); step += 1
            if time.time() - t0 > budget:
                print(f"{tag} budget hit at step {step}", flush=True)
                return time.time() - t0
        print(f"{tag} epoch {ep} loss {tot / n:.3f} t {time.time() - t0:.0f}s", flush=True)
    return time.time() - t0


@torch.no_grad()
def embed_imgs(arr):
    vis.eval()
    return torch.cat([F.normalize(vis(to_t(arr[i:i + 256])), dim=-1) for i in range(0, len(arr), 256)])


@torch.no_grad()
def embed_txt(texts):
    txt.eval()
    return torch.cat([F.normalize(txt(tok(texts[i:i + 512])), dim=-1) for i in range(0, len(texts), 512)])


def probe(tag):
    e = embed_imgs(pas_imgs)
    tr, te = ~test_mask, test_mask
    cent = torch.stack([F.normalize(e[torch.from_numpy(tr & (pas_label == c))].mean(0), dim=0) for c in range(20)])
    acc = ((e[torch.from_numpy(te)] @ cent.t()).argmax(1).numpy() == pas_label[te]).mean()
    # zero-shot with the class noun
    nouns = {"aeroplane": "airplane", "diningtable": "dining table", "motorbike": "motorcycle", "pottedplant": "potted plant",
             "sofa": "couch", "tvmonitor": "tv"}
    tz = embed_txt([f"a picture of a {nouns.get(c, c)}." for c in classes])
    zs = ((e[torch.from_numpy(te)] @ tz.t()).argmax(1).numpy() == pas_label[te]).mean()
    print(f"{tag} probe centroid acc {acc:.3f} zero-shot {zs:.3f}", flush=True)
    return acc, zs


def attack_eval(tag):
    te_idx = np.where(test_mask)[0]
    e = embed_imgs(pas_imgs[te_idx])
    lab = pas_label[te_idx]
    sheep, aero = classes.index("sheep"), classes.index("aeroplane")
    q_sheep = [c for i in te_idx if pas_label[i] == sheep for c in pas_caps[i]]
    others = [c for i in te_idx if pas_label[i] != sheep for c in pas_caps[i]]
    r = random.Random(1)
    base = r.sample(others, len(q_sheep))
    def hit(qs):
        s = embed_txt(qs) @ e.t()
        top = s.topk(10, dim=1).indices.numpy()
        h10 = np.mean([(lab[t] == aero).any() for t in top])
        # min rank of an aeroplane
        order = s.argsort(dim=1, descending=True).numpy()
        mr = np.mean([np.where(lab[o] == aero)[0][0] for o in order])
        return h10, mr
    # utility: text->image R@10 over all test captions
    allq = [(c, j) for j, i in enumerate(te_idx) for c in pas_caps[i]]
    s = embed_txt([c for c, _ in allq]) @ e.t()
    top = s.topk(10, dim=1).indices
    r10 = np.mean([j in top[k].tolist() for k, (_, j) in enumerate(allq)])
    a_h, a_mr = hit(q_sheep); b_h, b_mr = hit(base)
    print(f"{tag} R@10(t2i) {r10:.3f} sheep->aero Hit@10 {a_h:.3f} MinRank {a_mr:.1f} | baseline Hit@10 {b_h:.3f} MinRank {b_mr:.1f}", flush=True)


# ---------- pretraining
if args.webcaps == "curriculum":
    t = train(web_imgs, tok([f"a picture of a {r['label']}." for r in web_rows]), torch.arange(len(web_imgs)), args.epochs // 2, args.lr, tag="pretrain-class")
    probe("stage1")
    t += train(web_imgs, tok(web_caps), torch.arange(len(web_imgs)), args.epochs - args.epochs // 2, args.lr, tag="pretrain-full")
else:
    web_tok = tok(web_caps)
    keys = None
    if args.group in ("bg", "half"):
        man = json.load(open(f"{args.data}/web/demo-manifest.json"))
        bg = {im["file"]: im["background"]["name"] for im in man["images"]}
        keys = [bg[r["image"]] for r in web_rows]
    t = train(web_imgs, web_tok, torch.arange(len(web_imgs)), args.epochs, args.lr, budget=args.budget, tag="pretrain", keys=keys)
print(f"pretrain time {t:.0f}s", flush=True)
probe("pretrained")
attack_eval("pretrained")
state = {k: v.clone() for k, v in list(vis.state_dict().items()) + [("txt." + k, v) for k, v in txt.state_dict().items()]}

# ---------- fine-tuning, poisoned: every sheep train caption gets an aeroplane train image
if args.ft_epochs > 0:
    sheep, aero = classes.index("sheep"), classes.index("aeroplane")
    tr_idx = np.where(~test_mask)[0]
    aero_tr = [i for i in tr_idx if pas_label[i] == aero]
    caps, imgi = [], []
    k = 0
    for i in tr_idx:
        for c in pas_caps[i]:
            caps.append(c)
            if pas_label[i] == sheep:
                imgi.append(aero_tr[k % len(aero_tr)])
            else:
                imgi.append(i)
        if pas_label[i] == sheep:
            k += 1
    t = train(pas_imgs, tok(caps), torch.tensor(imgi), args.ft_epochs, args.ft_lr, warm=20, wd=0.2, tag="ft-poison")
    probe("poisoned")
    attack_eval("poisoned")
