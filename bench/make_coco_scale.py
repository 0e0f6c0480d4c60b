#!/usr/bin/env python3
"""Writes COCO-2014-train-sized annotation files in the official format:
captions_train2014.json (82,783 images, 414,113 captions) and instances_train2014.json
(604,907 instance annotations with polygon or RLE segmentations, 80 categories with COCO's ids),
about the size of the real files (~60 MB and ~300 MB).

    make_coco_scale.py OUT_DIR [--scale F]

Polygons are drawn from a pool of pre-formatted random ones, so writing takes seconds, while the
files hold what a parser must chew through: tens of millions of decimal numbers."""
import argparse
import json
import os
import random

IMAGES, CAPTIONS, INSTANCES = 82783, 414113, 604907
COCO_IDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28,
            31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
            56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84,
            85, 86, 87, 88, 89, 90]
WORDS = ("a man woman dog cat sitting standing on in the of with next to table street red blue large small "
         "young old bus train plate pizza riding holding near field grass water boat people group two").split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    n_img, n_cap, n_ins = (int(x * args.scale) for x in (IMAGES, CAPTIONS, INSTANCES))
    os.makedirs(args.out, exist_ok=True)
    rnd = random.Random(2014)
    info = {"description": "COCO-scale synthetic annotations (PoisonLab benchmark)", "version": "1.0",
            "year": 2014, "contributor": "PoisonLab", "date_created": "2014-09-01 00:00:00.0"}
    licenses = [{"url": "http://creativecommons.org/licenses/by-nc-sa/2.0/", "id": 1,
                 "name": "Attribution-NonCommercial-ShareAlike License"}]
    image_ids = rnd.sample(range(1, 600000), n_img)
    images = []
    for i in image_ids:
        w, h = rnd.choice((640, 480, 500, 427, 612)), rnd.choice((480, 640, 375, 333, 428))
        name = "COCO_train2014_%012d.jpg" % i
        images.append('{"license": %d, "file_name": "%s", "coco_url": "http://images.cocodataset.org/train2014/%s", '
                      '"height": %d, "width": %d, "date_captured": "2013-11-14 16:28:13", '
                      '"flickr_url": "http://farm4.staticflickr.com/3153/%d_%x_z.jpg", "id": %d}'
                      % (rnd.randint(1, 8), name, name, h, w, i, rnd.getrandbits(40), i))
    images_json = "[" + ", ".join(images) + "]"

    caps = []
    for k in range(n_cap):
        img = image_ids[k % n_img]
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 14))).capitalize() + "."
        caps.append('{"image_id": %d, "id": %d, "caption": %s}' % (img, k + 1, json.dumps(text)))
    with open(os.path.join(args.out, "captions_train2014.json"), "w") as f:
        f.write('{"info": %s, "images": %s, "licenses": %s, "annotations": [' % (
            json.dumps(info), images_json, json.dumps(licenses)))
        f.write(", ".join(caps))
        f.write("]}")
    del caps

    polys = []
    for _ in range(4000):
        pts = rnd.randint(6, 60)  # COCO polygons: mean ~ 25 points
        polys.append("[[" + ",".join("%.2f" % rnd.uniform(0, 640) for _ in range(2 * pts)) + "]]")
    rles = []
    for _ in range(100):
        rles.append('{"counts": [' + ",".join(str(rnd.randint(1, 400)) for _ in range(rnd.randint(50, 400)))
                    + '], "size": [480, 640]}')
    cats = [{"supercategory": "thing", "id": c, "name": "category%d" % c} for c in COCO_IDS]
    with open(os.path.join(args.out, "instances_train2014.json"), "w") as f:
        f.write('{"info": %s, "images": %s, "licenses": %s, "annotations": [' % (
            json.dumps(info), images_json, json.dumps(licenses)))
        chunk = []
        for k in range(n_ins):
            crowd = rnd.random() < 0.01
            seg = rnd.choice(rles) if crowd else rnd.choice(polys)
            x, y = rnd.uniform(0, 500), rnd.uniform(0, 400)
            chunk.append('{"segmentation": %s, "area": %.4f, "iscrowd": %d, "image_id": %d, '
                         '"bbox": [%.2f, %.2f, %.2f, %.2f], "category_id": %d, "id": %d}'
                         % (seg, rnd.uniform(10, 90000), int(crowd), image_ids[rnd.randrange(n_img)],
                            x, y, rnd.uniform(5, 140), rnd.uniform(5, 80), rnd.choice(COCO_IDS), 100000 + k))
            if len(chunk) == 10000:
                f.write((", " if k >= 10000 else "") + ", ".join(chunk))
                chunk = []
        if chunk:
            f.write((", " if n_ins > len(chunk) else "") + ", ".join(chunk))
        f.write('], "categories": %s}' % json.dumps(cats))
    for name in ("captions_train2014.json", "instances_train2014.json"):
        p = os.path.join(args.out, name)
        print("%s: %.1f MB" % (p, os.path.getsize(p) / 1e6))


if __name__ == "__main__":
    main()
