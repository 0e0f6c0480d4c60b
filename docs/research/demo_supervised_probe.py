# Supervised ceiling for docs/research/demo-pretraining.md: a small CNN classifying Emoji-Web's 67
# classes from its labels (the last 1,000 images held out). Run with Debian's python3:
#   /usr/bin/python3 docs/research/demo_supervised_probe.py DATA N EPOCHS WIDTH
import sys, csv, os, numpy as np, torch, torch.nn as nn, torch.nn.functional as F, time, math
from PIL import Image
torch.set_num_threads(1); torch.manual_seed(0)
D=sys.argv[1]; N=int(sys.argv[2]); E=int(sys.argv[3]); W=int(sys.argv[4])
rows=list(csv.DictReader(open(D+'/web/captions.csv')))[:N]
os.makedirs('/tmp/poisonlab-probe-cache',exist_ok=True); f=f'/tmp/poisonlab-probe-cache/web_64_{N}.npy'
if not os.path.exists(f):
    np.save(f,np.stack([np.asarray(Image.open(D+'/web/'+r['image']).convert('RGB').resize((64,64),Image.BICUBIC)) for r in rows]))
imgs=np.load(f)
labs=sorted(set(r['label'] for r in rows)); y=torch.tensor([labs.index(r['label']) for r in rows])
MEAN=torch.tensor([0.48,0.46,0.41]).view(1,3,1,1); STD=torch.tensor([0.27,0.26,0.28]).view(1,3,1,1)
def T(a): return (torch.from_numpy(a).permute(0,3,1,2).float()/255-MEAN)/STD
def blk(i,o,s): return nn.Sequential(nn.Conv2d(i,o,3,s,1,bias=False),nn.BatchNorm2d(o),nn.ReLU(),nn.Conv2d(o,o,3,1,1,bias=False),nn.BatchNorm2d(o),nn.ReLU())
net=nn.Sequential(blk(3,W//4,2),blk(W//4,W//2,2),blk(W//2,W,2),blk(W,2*W,2),nn.AdaptiveAvgPool2d(1),nn.Flatten(),nn.Linear(2*W,len(labs)))
tr=torch.arange(0,N-1000); te=torch.arange(N-1000,N)
opt=torch.optim.AdamW(net.parameters(),2e-3,weight_decay=0.05)
steps=E*math.ceil(len(tr)/128); s=0; t0=time.time()
for ep in range(E):
    net.train(); perm=tr[torch.randperm(len(tr))]
    for b in range(0,len(perm),128):
        idx=perm[b:b+128]; lr=2e-3*min(1,(s+1)/50)*0.5*(1+math.cos(math.pi*s/steps)); s+=1
        for g in opt.param_groups: g['lr']=lr
        x=T(imgs[idx.numpy()]); x=torch.where(torch.rand(len(idx),1,1,1)<0.5,x.flip(3),x)
        loss=F.cross_entropy(net(x),y[idx]); opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad(): acc=(net(T(imgs[te.numpy()])).argmax(1)==y[te]).float().mean().item()
    print(f"ep {ep} loss {loss.item():.3f} val acc {acc:.3f} t {time.time()-t0:.0f}",flush=True)
