#include "poisonlab/core/demo/SceneComposer.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/demo/BackgroundPainter.h"
#include "poisonlab/core/demo/EmojiFont.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace poisonlab::demo {

namespace {

struct SizeBin {
    const char *name;
    double lo, hi; // fraction of the shorter image side
};
constexpr SizeBin kSmall{"small", 0.20, 0.28};
constexpr SizeBin kMedium{"medium", 0.34, 0.46};
constexpr SizeBin kLarge{"large", 0.55, 0.72};

/// One object ready to paste: premultiplied BGRA pixels and the box of its ink inside them.
struct Rendered {
    cv::Mat bgra;
    cv::Rect ink;
};

Rendered render(const cv::Mat &glyph, int side, bool flip, int angle, const cv::Scalar &gains)
{
    const double scale = double(side) / std::max(glyph.cols, glyph.rows);
    const cv::Size size(std::max(1, int(std::lround(glyph.cols * scale))),
                        std::max(1, int(std::lround(glyph.rows * scale))));
    cv::Mat m;
    cv::resize(glyph, m, size, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (flip)
        cv::flip(m, m, 1);
    cv::multiply(m, gains, m); // colour jitter; alpha gain is 1
    if (angle != 0) {
        const cv::Point2f centre((m.cols - 1) * 0.5f, (m.rows - 1) * 0.5f);
        cv::Mat rot = cv::getRotationMatrix2D(centre, angle, 1.0);
        const cv::Rect2f box = cv::RotatedRect(centre, cv::Size2f(m.size()), float(angle)).boundingRect2f();
        rot.at<double>(0, 2) += box.width / 2.0 - centre.x;
        rot.at<double>(1, 2) += box.height / 2.0 - centre.y;
        cv::Mat out;
        cv::warpAffine(m, out, rot, cv::Size(int(std::ceil(box.width)), int(std::ceil(box.height))), cv::INTER_LINEAR,
                       cv::BORDER_CONSTANT, cv::Scalar::all(0));
        m = out;
    }
    cv::Mat alpha;
    cv::extractChannel(m, alpha, 3);
    cv::threshold(alpha, alpha, 40, 255, cv::THRESH_BINARY);
    return {m, cv::boundingRect(alpha)};
}

/// Premultiplied "over": dst = src + dst * (1 - alpha).
void composite(cv::Mat &canvas, const cv::Mat &bgra, cv::Point topLeft)
{
    const cv::Rect dstRect = cv::Rect(topLeft, bgra.size()) & cv::Rect(0, 0, canvas.cols, canvas.rows);
    for (int y = dstRect.y; y < dstRect.y + dstRect.height; ++y) {
        const uchar *s = bgra.ptr<uchar>(y - topLeft.y) + 4 * (dstRect.x - topLeft.x);
        uchar *d = canvas.ptr<uchar>(y) + 3 * dstRect.x;
        for (int x = 0; x < dstRect.width; ++x, s += 4, d += 3) {
            const int a = s[3];
            if (a == 0)
                continue;
            const int keep = 255 - a;
            for (int k = 0; k < 3; ++k)
                d[k] = uchar(std::min(255, s[k] + (d[k] * keep + 127) / 255));
        }
    }
}

double overlapFraction(const cv::Rect &a, const cv::Rect &b) // of the smaller box
{
    const double inter = (a & b).area();
    return inter / std::max(1, std::min(a.area(), b.area()));
}

int thirdOf(double c, int extent)
{
    return c < extent / 3.0 ? 0 : (c < 2.0 * extent / 3.0 ? 1 : 2);
}

bool nearThirdBoundary(double c, int extent, double margin)
{
    return std::abs(c - extent / 3.0) < margin || std::abs(c - 2.0 * extent / 3.0) < margin;
}

/// The canvas objects are placed on; `margin` keeps a single object's cell unambiguous.
struct Frame {
    int width, height;
    double margin;
};

/// One object of a scene while it is drawn: its facts, its pixels and where its ink lands.
struct Instance {
    ObjectFacts facts;
    Rendered rendered;
    cv::Rect box; // ink box on the canvas
    cv::Point topLeft;
};

std::vector<Instance> makeInstances(const std::vector<SceneSubject> &subjects, const std::vector<EmojiClass> &classes)
{
    std::vector<Instance> instances;
    for (const SceneSubject &s : subjects)
        for (int i = 0; i < s.count; ++i) {
            Instance in;
            in.facts.classIndex = s.classIndex;
            in.facts.className = classes.at(s.classIndex).name;
            in.facts.distractor = s.distractor;
            instances.push_back(std::move(in));
        }
    return instances;
}

// A lone object may be large; among several, distractors and crowds stay smaller.
const SizeBin &chooseSizeBin(double u, int n, bool distractor)
{
    return n == 1 ? (u < 0.3 ? kSmall : (u < 0.65 ? kMedium : kLarge))
                  : (distractor || n >= 3 ? (u < 0.75 ? kSmall : kMedium) : (u < 0.5 ? kSmall : kMedium));
}

// Draws the object's look (variant, size, flip, rotation, colour jitter) and renders it, shrunk
// until its ink fits the canvas.
void renderInstance(Instance &in, const EmojiClass &cls, const EmojiFont &font, const SceneOptions &options, int n,
                    Rng &rng)
{
    const int shortSide = std::min(options.width, options.height);
    const EmojiVariant &variant = cls.variants[rng.below(cls.variants.size())];
    in.facts.variant = variant.name;
    in.facts.codepoint = variant.codepoint;

    const double u = rng.uniform();
    const SizeBin &bin = chooseSizeBin(u, n, in.facts.distractor);
    in.facts.size = bin.name;
    const int side = int(std::lround(rng.uniform(bin.lo, bin.hi) * shortSide));
    in.facts.flipped = rng.chance(options.flipChance);
    in.facts.rotation =
        rng.chance(options.rotationChance) ? int(rng.range(-options.maxRotation, options.maxRotation)) : 0;
    const cv::Scalar gains(rng.uniform(0.85, 1.15), rng.uniform(0.85, 1.15), rng.uniform(0.85, 1.15), 1.0);
    in.rendered = render(font.glyph(variant.codepoint), side, in.facts.flipped, in.facts.rotation, gains);
    for (int shrink = 0; in.rendered.ink.width > options.width || in.rendered.ink.height > options.height;
         ++shrink) // never at 128 px
        in.rendered = render(font.glyph(variant.codepoint), int(side * std::pow(0.85, shrink + 1)), in.facts.flipped,
                             in.facts.rotation, gains);
}

// A single object: its box centre goes into a random 3x3 cell it fits in, clear of the cell's
// edges, so that its position is a clear fact. Returns where the ink box's top-left lands.
cv::Point placeInCell(const Frame &frame, int w, int h, Rng &rng)
{
    const int W = frame.width, H = frame.height;
    auto feasible = [&](int extent, int size, int cell, double &lo, double &hi) {
        lo = std::max(size / 2.0, cell * extent / 3.0 + frame.margin);
        hi = std::min(extent - size / 2.0, (cell + 1) * extent / 3.0 - frame.margin);
        return lo <= hi;
    };
    std::vector<int> cols, rows;
    double lo, hi;
    for (int c = 0; c < 3; ++c) {
        if (feasible(W, w, c, lo, hi))
            cols.push_back(c);
        if (feasible(H, h, c, lo, hi))
            rows.push_back(c);
    }
    double cx = W / 2.0, cy = H / 2.0;
    if (!cols.empty() && feasible(W, w, cols[rng.below(cols.size())], lo, hi))
        cx = rng.uniform(lo, hi);
    if (!rows.empty() && feasible(H, h, rows[rng.below(rows.size())], lo, hi))
        cy = rng.uniform(lo, hi);
    return {int(std::lround(cx - w / 2.0)), int(std::lround(cy - h / 2.0))};
}

// Object `i` of several: the best of up to 40 random spots, apart from the objects placed
// before it, except that the occluder wants a partial overlap with the occluded object.
cv::Point placeApart(const std::vector<Instance> &instances, int i, int occluder, int occluded, const Frame &frame,
                     int w, int h, Rng &rng)
{
    const int W = frame.width, H = frame.height;
    cv::Point inkAt;
    double bestScore = 1e9;
    for (int attempt = 0; attempt < 40; ++attempt) {
        const cv::Point p(int(rng.range(0, W - w)), int(rng.range(0, H - h)));
        const cv::Rect box(p, cv::Size(w, h));
        double worst = 0, score = 0;
        for (int j = 0; j < i; ++j) {
            const double f = overlapFraction(box, instances[j].box);
            if (i == occluder && j == occluded)
                score += (f < 0.15 || f > 0.4) ? 1.0 + std::abs(f - 0.27) : 0.0; // wants a partial overlap
            else
                worst = std::max(worst, f);
        }
        score += worst > 0.08 ? worst : 0.0;
        if (score < bestScore) {
            bestScore = score;
            inkAt = p;
        }
        if (score == 0.0)
            break;
    }
    return inkAt;
}

// The facts known once every object is placed: the box, its cell (unless near a cell edge) and
// which later object covers most of it.
void recordPlacement(std::vector<Instance> &instances, int i, const Frame &frame)
{
    const int W = frame.width, H = frame.height, n = int(instances.size());
    Instance &in = instances[i];
    in.facts.x = in.box.x;
    in.facts.y = in.box.y;
    in.facts.w = in.box.width;
    in.facts.h = in.box.height;
    const double cx = in.box.x + in.box.width / 2.0, cy = in.box.y + in.box.height / 2.0;
    if (!nearThirdBoundary(cx, W, frame.margin * 0.9) && !nearThirdBoundary(cy, H, frame.margin * 0.9))
        in.facts.position = SceneComposer::positionName(cx, cy, W, H);
    // Record who covers part of whom (the later object is drawn on top).
    double most = 0.1;
    for (int j = i + 1; j < n; ++j) {
        const double f = double((in.box & instances[j].box).area()) / std::max(1, in.box.area());
        if (f > most) {
            most = f;
            in.facts.occludedBy = j;
        }
    }
}

} // namespace

SceneComposer::SceneComposer(const EmojiFont &font, std::vector<EmojiClass> classes, SceneOptions options)
    : m_font(font), m_classes(std::move(classes)), m_options(options)
{
    if (m_classes.empty())
        throw Error("demo scenes need at least one class with an emoji");
    if (m_options.width < 32 || m_options.height < 32)
        throw Error("demo images must be at least 32 x 32 pixels");
}

std::string SceneComposer::positionName(double cx, double cy, int width, int height)
{
    static const char *cols[] = {"left", "", "right"};
    static const char *rows[] = {"top", "", "bottom"};
    const std::string col = cols[thirdOf(cx, width)], row = rows[thirdOf(cy, height)];
    if (col.empty() && row.empty())
        return "centre";
    if (col.empty() || row.empty())
        return row + col;
    return row + " " + col;
}

Scene SceneComposer::composeSingleClass(int label, Rng &rng) const
{
    const double u = rng.uniform();
    const int count = u < 0.5 ? 1 : (u < 0.75 ? 2 : (u < 0.9 ? 3 : 4));
    std::vector<SceneSubject> subjects{{label, count, false}};
    if (m_classes.size() > 2 && rng.chance(m_options.distractorChance)) {
        const int k = rng.chance(0.7) ? 1 : 2;
        while (int(subjects.size()) < 1 + k) {
            const int c = int(rng.below(m_classes.size()));
            if (std::none_of(subjects.begin(), subjects.end(),
                             [&](const SceneSubject &s) { return s.classIndex == c; }))
                subjects.push_back({c, 1, true});
        }
    }
    return compose(subjects, label, rng);
}

Scene SceneComposer::composeMultiClass(int primary, Rng &rng) const
{
    const double u = rng.uniform();
    std::vector<SceneSubject> subjects{{primary, u < 0.55 ? 1 : (u < 0.85 ? 2 : 3), false}};
    const double v = rng.uniform();
    const int others = m_classes.size() < 3 ? 0 : (v < 0.3 ? 0 : (v < 0.75 ? 1 : 2));
    while (int(subjects.size()) < 1 + others) {
        const int c = int(rng.below(m_classes.size()));
        if (std::none_of(subjects.begin(), subjects.end(), [&](const SceneSubject &s) { return s.classIndex == c; }))
            subjects.push_back({c, rng.chance(0.7) ? 1 : 2, false});
    }
    return compose(subjects, primary, rng);
}

Scene SceneComposer::compose(const std::vector<SceneSubject> &subjects, int label, Rng &rng) const
{
    const int W = m_options.width, H = m_options.height, shortSide = std::min(W, H);
    const Frame frame{W, H, shortSide / 24.0};
    Scene scene;
    scene.image.create(H, W, CV_8UC3);
    scene.facts.width = W;
    scene.facts.height = H;
    scene.facts.label = label;
    static const std::vector<std::string> kNoHabitats;
    const std::vector<std::string> &habitats =
        label >= 0 && label < int(m_classes.size()) ? m_classes[label].habitats : kNoHabitats;
    if (!habitats.empty() && rng.chance(m_options.habitatChance))
        scene.facts.background = BackgroundPainter::paintScene(scene.image, rng, habitats[rng.below(habitats.size())]);
    else
        scene.facts.background = BackgroundPainter::paint(scene.image, rng);

    std::vector<Instance> instances = makeInstances(subjects, m_classes);
    const int n = int(instances.size());
    const int occluder = (n >= 2 && rng.chance(m_options.occlusionChance)) ? n - 1 : -1;
    const int occluded = occluder >= 0 ? int(rng.below(n - 1)) : -1;
    for (int i = 0; i < n; ++i) {
        Instance &in = instances[i];
        renderInstance(in, m_classes[in.facts.classIndex], m_font, m_options, n, rng);
        const int w = in.rendered.ink.width, h = in.rendered.ink.height;
        cv::Point inkAt =
            n == 1 ? placeInCell(frame, w, h, rng) : placeApart(instances, i, occluder, occluded, frame, w, h, rng);
        inkAt.x = std::clamp(inkAt.x, 0, W - w);
        inkAt.y = std::clamp(inkAt.y, 0, H - h);
        in.box = cv::Rect(inkAt, cv::Size(w, h));
        in.topLeft = inkAt - in.rendered.ink.tl();
    }

    for (int i = 0; i < n; ++i) {
        composite(scene.image, instances[i].rendered.bgra, instances[i].topLeft);
        recordPlacement(instances, i, frame);
    }
    if (rng.chance(m_options.blurChance)) {
        cv::GaussianBlur(scene.image, scene.image, cv::Size(0, 0), rng.uniform(0.6, 1.2));
        scene.facts.blurred = true;
    }
    for (Instance &in : instances)
        scene.facts.objects.push_back(std::move(in.facts));
    return scene;
}

} // namespace poisonlab::demo
