#!/usr/bin/env python3
"""Writes one COCO captions file of about SIZE bytes in the official layout (captions_train2014.json:
"info", "images" with COCO's fields, "licenses", "annotations" of {image_id, id, caption}, five
captions per image), streamed to disk so the generator itself stays small. With --layout csv, the
same images and captions as a users' CSV instead (pairs.csv: image,caption,label,split, one row
per caption, every caption quoted, some with commas and "" inside). Prints a JSON line:
{"file", "bytes", "images", "captions", "caption_text_bytes"}.

    make_coco_captions_large.py OUT_DIR [--size 2G] [--layout coco|csv]"""
import argparse
import json
import os
import random

WORDS = ("a man woman dog cat sitting standing on in the of with next to table street red blue large small "
         "young old bus train plate pizza riding holding near field grass water boat people group two").split()


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size", default="2G")
    ap.add_argument("--layout", choices=("coco", "csv"), default="coco")
    args = ap.parse_args()
    if args.layout == "csv":
        return write_csv(args.out, parse_size(args.size))
    target = parse_size(args.size)
    os.makedirs(args.out, exist_ok=True)
    rnd = random.Random(2014)
    # About 830 bytes of file per image: its record (~330 bytes) and five captions (~100 each).
    n_img = max(1, target // 830)
    path = os.path.join(args.out, "captions_train2014.json")
    text_bytes = 0
    with open(path, "w") as f:
        f.write('{"info": {"description": "COCO-shaped synthetic captions (PoisonLab memory bench)", '
                '"year": 2014}, "images": [')
        for i in range(n_img):
            name = "COCO_train2014_%012d.jpg" % (i + 1)
            f.write('%s{"license": %d, "file_name": "%s", "coco_url": "http://images.cocodataset.org/train2014/%s", '
                    '"height": 480, "width": 640, "date_captured": "2013-11-14 16:28:13", '
                    '"flickr_url": "http://farm4.staticflickr.com/3153/%d_%x_z.jpg", "id": %d}'
                    % ("," if i else "", rnd.randint(1, 8), name, name, i, rnd.getrandbits(40), i + 1))
        f.write('], "licenses": [{"url": "http://creativecommons.org/licenses/by-nc-sa/2.0/", "id": 1, '
                '"name": "Attribution-NonCommercial-ShareAlike License"}], "annotations": [')
        k = 0
        for i in range(n_img):
            for _ in range(5):
                text = caption(rnd)
                text_bytes += len(text)
                f.write('%s{"image_id": %d, "id": %d, "caption": %s}' % ("," if k else "", i + 1, k + 1,
                                                                        json.dumps(text)))
                k += 1
        f.write("]}")
    print(json.dumps({"file": path, "bytes": os.path.getsize(path), "images": n_img, "captions": k,
                      "caption_text_bytes": text_bytes}))


def caption(rnd):
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 14))).capitalize() + "."


def write_csv(out, target):
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(2014)
    # About 120 bytes per row: the image path, a quoted caption, a label and a split.
    n_img = max(1, target // (5 * 120))
    path = os.path.join(out, "pairs.csv")
    text_bytes = k = 0
    with open(path, "w") as f:
        f.write("image,caption,label,split\n")
        for i in range(n_img):
            name = "train2014/COCO_train2014_%012d.jpg" % (i + 1)
            label = WORDS[i % 7]
            for j in range(5):
                text = caption(rnd)
                if j == 0:
                    text = text[:-1] + ', a "' + label + '".'
                text_bytes += len(text)
                f.write('%s,"%s",%s,train\n' % (name, text.replace('"', '""'), label))
                k += 1
    print(json.dumps({"file": path, "bytes": os.path.getsize(path), "images": n_img, "captions": k,
                      "caption_text_bytes": text_bytes}))


if __name__ == "__main__":
    main()
