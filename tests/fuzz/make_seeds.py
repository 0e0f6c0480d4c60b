#!/usr/bin/python3
"""Writes the seed inputs of the weight-reader fuzz targets (run with a python3 that has torch):
corpus/fuzz_safetensors, corpus/fuzz_openai_zip, corpus/fuzz_hf_config with data/hf-tiny (a
Hugging Face CLIPModel folder of a tiny ViT CLIP: 64-wide image tower without blocks, 4-wide text
tower with one block) and corpus/fuzz_vocab_json. Deterministic: rerunning rewrites the same bytes
(the TorchScript archive aside, whose zip records carry no dates but torch's own version)."""
import json
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
# The tiny model: ViT image tower (width 64, no blocks, 1x1 patches of a 1x1 image), text tower
# of width 4 with one block, context 2, vocabulary 3, embedding 4.
VW, TW, EMBED, CTX, VOCAB, PATCH, RES = 64, 4, 4, 2, 3, 1, 1


def safetensors_bytes(tensors, metadata=None):
    dtypes = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64", torch.uint8: "U8"}
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors:
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write(path, data):
    path = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def openai_state_dict():
    g = torch.Generator().manual_seed(0)
    r = lambda *shape: torch.randn(*shape, generator=g) * 0.02
    grid = RES // PATCH
    sd = [("positional_embedding", r(CTX, TW)), ("text_projection", r(TW, EMBED)), ("logit_scale", torch.tensor(2.0)),
          ("visual.class_embedding", r(VW)), ("visual.positional_embedding", r(grid * grid + 1, VW)),
          ("visual.proj", r(VW, EMBED)), ("visual.conv1.weight", r(VW, 3, PATCH, PATCH)),
          ("visual.ln_pre.weight", torch.ones(VW)), ("visual.ln_pre.bias", torch.zeros(VW)),
          ("visual.ln_post.weight", torch.ones(VW)), ("visual.ln_post.bias", torch.zeros(VW)),
          ("token_embedding.weight", r(VOCAB, TW)), ("ln_final.weight", torch.ones(TW)), ("ln_final.bias", torch.zeros(TW))]
    b = "transformer.resblocks.0."
    sd += [(b + "attn.in_proj_weight", r(3 * TW, TW)), (b + "attn.in_proj_bias", r(3 * TW)),
           (b + "attn.out_proj.weight", r(TW, TW)), (b + "attn.out_proj.bias", r(TW)),
           (b + "ln_1.weight", torch.ones(TW)), (b + "ln_1.bias", torch.zeros(TW)),
           (b + "mlp.c_fc.weight", r(4 * TW, TW)), (b + "mlp.c_fc.bias", r(4 * TW)),
           (b + "mlp.c_proj.weight", r(TW, 4 * TW)), (b + "mlp.c_proj.bias", r(TW)),
           (b + "ln_2.weight", torch.ones(TW)), (b + "ln_2.bias", torch.zeros(TW))]
    return sd


def hugging_face_state_dict(openai):
    out = []
    for key, t in openai:
        if key == "visual.proj":
            out.append(("visual_projection.weight", t.t()))
        elif key == "text_projection":
            out.append(("text_projection.weight", t.t()))
        elif key == "logit_scale":
            out.append((key, t))
        elif key.startswith("transformer.resblocks.0."):
            rest = key[len("transformer.resblocks.0."):]
            base = "text_model.encoder.layers.0."
            if rest.startswith("attn.in_proj_"):
                kind = rest[len("attn.in_proj_"):]
                for part, name in zip(t.chunk(3, 0), "qkv"):
                    out.append((base + "self_attn.%s_proj.%s" % (name, kind), part))
            else:
                rest = rest.replace("attn.out_proj.", "self_attn.out_proj.").replace("ln_1.", "layer_norm1.")
                rest = rest.replace("ln_2.", "layer_norm2.").replace("mlp.c_fc.", "mlp.fc1.").replace("mlp.c_proj.", "mlp.fc2.")
                out.append((base + rest, t))
        else:
            names = {"positional_embedding": "text_model.embeddings.position_embedding.weight",
                     "token_embedding.weight": "text_model.embeddings.token_embedding.weight",
                     "ln_final.weight": "text_model.final_layer_norm.weight",
                     "ln_final.bias": "text_model.final_layer_norm.bias",
                     "visual.class_embedding": "vision_model.embeddings.class_embedding",
                     "visual.positional_embedding": "vision_model.embeddings.position_embedding.weight",
                     "visual.conv1.weight": "vision_model.embeddings.patch_embedding.weight",
                     "visual.ln_pre.weight": "vision_model.pre_layrnorm.weight",
                     "visual.ln_pre.bias": "vision_model.pre_layrnorm.bias",
                     "visual.ln_post.weight": "vision_model.post_layernorm.weight",
                     "visual.ln_post.bias": "vision_model.post_layernorm.bias"}
            out.append((names[key], t))
    return out


def hugging_face_config():
    return {"model_type": "clip", "projection_dim": EMBED,
            "text_config": {"hidden_size": TW, "intermediate_size": 4 * TW, "num_attention_heads": 1,
                            "num_hidden_layers": 1, "max_position_embeddings": CTX, "vocab_size": VOCAB,
                            "hidden_act": "quick_gelu"},
            "vision_config": {"hidden_size": VW, "intermediate_size": 4 * VW, "num_attention_heads": VW // 64,
                              "num_hidden_layers": 0, "image_size": RES, "patch_size": PATCH, "hidden_act": "quick_gelu"}}


class Holder(torch.nn.Module):
    """A module tree whose parameters carry OpenAI's names, as torch.jit.save writes them."""

    def __init__(self, tensors, prefix=""):
        super().__init__()
        children = {}
        for key, t in tensors:
            head, _, rest = key.partition(".")
            if rest:
                children.setdefault(head, []).append((rest, t))
            else:
                self.register_parameter(head, torch.nn.Parameter(t.clone()))
        for head, items in children.items():
            self.add_module(head, Holder(items))

    def forward(self, x):
        return x


def seeds():
    openai = openai_state_dict()
    write("corpus/fuzz_safetensors/openai-tiny.safetensors", safetensors_bytes(openai, {"format": "pt"}))
    write("corpus/fuzz_safetensors/openai-partial.safetensors", safetensors_bytes(openai[:6]))
    write("corpus/fuzz_safetensors/dtypes.safetensors", safetensors_bytes(
        [("half", torch.arange(6, dtype=torch.float16).view(2, 3)), ("ids", torch.arange(3)),
         ("bytes", torch.arange(4, dtype=torch.uint8)), ("empty", torch.zeros(0, 5))]))
    write("corpus/fuzz_safetensors/no-tensors.safetensors", safetensors_bytes([], {"note": "nothing"}))
    hf = hugging_face_state_dict(openai)
    write("data/hf-tiny/model.safetensors", safetensors_bytes([(k, t.half()) for k, t in hf], {"format": "pt"}))
    config = json.dumps(hugging_face_config(), indent=1)
    write("data/hf-tiny/config.json", config)
    write("corpus/fuzz_hf_config/config.json", config)
    write("corpus/fuzz_hf_config/defaults.json", json.dumps({"model_type": "clip"}))
    module = torch.jit.script(Holder([(k, t.half()) for k, t in openai]))
    path = os.path.join(HERE, "corpus/fuzz_openai_zip/openai-tiny.pt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.jit.save(module, path)
    write("corpus/fuzz_vocab_json/vocab.json", json.dumps(clip_vocab(), ensure_ascii=False))


def clip_vocab():
    """A vocabulary in Hugging Face's CLIP layout: the 256 byte symbols, the same with </w>, the
    fuzz target's three merges, then the start and end tokens."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    symbols = [chr(c) for c in cs]
    tokens = symbols + [s + "</w>" for s in symbols] + ["th", "the</w>", "an", "<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(tokens)}


if __name__ == "__main__":
    seeds()
