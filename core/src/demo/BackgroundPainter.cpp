#include "poisonlab/core/demo/BackgroundPainter.h"

#include "poisonlab/core/Rng.h"
#include "poisonlab/core/demo/NamedColour.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace poisonlab::demo {

namespace {

/// "a blue", "an orange"
std::string an(const std::string &word)
{
    return (std::string("aeiou").find(word.empty() ? 'x' : word[0]) != std::string::npos ? "an " : "a ") + word;
}

cv::Scalar bgr(int r, int g, int b)
{
    return cv::Scalar(b, g, r);
}

/// A palette colour moved by up to +-`amount` per channel; stays nearest to its own name.
cv::Scalar jittered(const NamedColour &c, Rng &rng, int amount = 10)
{
    cv::Scalar s;
    for (int k = 0; k < 3; ++k)
        s[k] = std::clamp<int>(int(c.bgr[k]) + int(rng.range(-amount, amount)), 0, 255);
    return s;
}

const NamedColour &randomColour(Rng &rng)
{
    const auto &p = NamedColour::palette();
    return p[rng.below(p.size())];
}

std::pair<const NamedColour *, const NamedColour *> twoColours(Rng &rng)
{
    const auto &p = NamedColour::palette();
    const size_t a = rng.below(p.size());
    size_t b = rng.below(p.size() - 1);
    if (b >= a)
        ++b;
    return {&p[a], &p[b]};
}

void verticalGradient(cv::Mat &canvas, const cv::Scalar &top, const cv::Scalar &bottom, int y0 = 0, int y1 = -1)
{
    if (y1 < 0)
        y1 = canvas.rows;
    const int n = std::max(1, y1 - y0 - 1);
    for (int y = y0; y < y1; ++y) {
        const double t = double(y - y0) / n;
        canvas.row(y).setTo(top * (1.0 - t) + bottom * t);
    }
}

void horizontalGradient(cv::Mat &canvas, const cv::Scalar &left, const cv::Scalar &right)
{
    const int n = std::max(1, canvas.cols - 1);
    for (int x = 0; x < canvas.cols; ++x) {
        const double t = double(x) / n;
        canvas.col(x).setTo(left * (1.0 - t) + right * t);
    }
}

BackgroundFacts facts(std::string kind, std::string name, std::vector<std::string> colours,
                      std::vector<std::string> settings, std::vector<std::string> nouns)
{
    BackgroundFacts f;
    f.kind = std::move(kind);
    f.name = std::move(name);
    f.colours = std::move(colours);
    f.settings = std::move(settings);
    f.nouns = std::move(nouns);
    return f;
}

void clouds(cv::Mat &canvas, Rng &rng, int n)
{
    const int W = canvas.cols, H = canvas.rows;
    for (int i = 0; i < n; ++i) {
        const cv::Point c(int(rng.range(0, W - 1)), int(rng.range(0, H / 2)));
        const int r = int(rng.range(W / 20, W / 10));
        for (int k = 0; k < 3; ++k)
            cv::circle(canvas, c + cv::Point((k - 1) * r, (k == 1) ? -r / 2 : 0), r, bgr(250, 250, 252), cv::FILLED,
                       cv::LINE_AA);
    }
}

void dots(cv::Mat &canvas, Rng &rng, int n, const cv::Scalar &colour, int radius)
{
    for (int i = 0; i < n; ++i)
        cv::circle(canvas, cv::Point(int(rng.below(canvas.cols)), int(rng.below(canvas.rows))), radius, colour,
                   cv::FILLED);
}

} // namespace

const std::vector<std::string> &BackgroundPainter::sceneNames()
{
    static const std::vector<std::string> names{"grass", "sky",        "beach",        "sea",    "snow",   "night",
                                                "road",  "brick wall", "wooden floor", "desert", "sunset", "room"};
    return names;
}

BackgroundFacts BackgroundPainter::paint(cv::Mat &canvas, Rng &rng)
{
    const double u = rng.uniform();
    if (u < 0.45)
        return paintFlat(canvas, rng);
    if (u < 0.60)
        return paintGradient(canvas, rng);
    if (u < 0.72)
        return paintTexture(canvas, rng);
    const auto &scenes = sceneNames();
    return paintScene(canvas, rng, scenes[rng.below(scenes.size())]);
}

BackgroundFacts BackgroundPainter::paintFlat(cv::Mat &canvas, Rng &rng)
{
    const NamedColour &c = randomColour(rng);
    canvas.setTo(jittered(c, rng));
    return facts("flat", c.name, {c.name},
                 {"on " + an(c.name) + " background", "against " + an(c.name) + " backdrop",
                  "in front of a plain " + c.name + " background", "on plain " + c.name},
                 {an(c.name) + " background", "a plain " + c.name + " background"});
}

BackgroundFacts BackgroundPainter::paintGradient(cv::Mat &canvas, Rng &rng)
{
    auto [a, b] = twoColours(rng);
    const bool vertical = rng.chance(0.6);
    if (vertical)
        verticalGradient(canvas, jittered(*a, rng), jittered(*b, rng));
    else
        horizontalGradient(canvas, jittered(*a, rng), jittered(*b, rng));
    const std::string from = a->name, to = b->name;
    const std::string where = vertical ? " from top to bottom" : " from left to right";
    BackgroundFacts f = facts("gradient", from + " to " + to + " gradient", {from, to},
                              {"on " + an(from) + " to " + to + " gradient",
                               "against a background fading from " + from + " to " + to + where},
                              {an(from) + " and " + to + " gradient", an(from) + " to " + to + " gradient background"});
    f.direction = vertical ? "vertical" : "horizontal";
    return f;
}

BackgroundFacts BackgroundPainter::paintTexture(cv::Mat &canvas, Rng &rng)
{
    auto [a, b] = twoColours(rng);
    const cv::Scalar ca = jittered(*a, rng), cb = jittered(*b, rng);
    const int W = canvas.cols, H = canvas.rows;
    const int kind = int(rng.below(3));
    canvas.setTo(ca);
    const int step = int(rng.range(std::max(4, W / 16), std::max(6, W / 6)));
    if (kind == 0) { // stripes, horizontal or vertical
        const bool horizontal = rng.chance(0.5);
        for (int p = step / 2; p < (horizontal ? H : W); p += 2 * step) {
            const cv::Rect r = horizontal ? cv::Rect(0, p, W, step) : cv::Rect(p, 0, step, H);
            canvas(r & cv::Rect(0, 0, W, H)).setTo(cb);
        }
        const std::string n = a->name + " and " + b->name + " striped";
        return facts("texture", n, {a->name, b->name},
                     {"on " + an(n) + " background", "against " + a->name + " and " + b->name + " stripes"},
                     {an(n) + " background", a->name + " and " + b->name + " stripes"});
    }
    if (kind == 1) { // checks
        for (int y = 0; y < H; y += step)
            for (int x = ((y / step) % 2) * step; x < W; x += 2 * step)
                canvas(cv::Rect(x, y, step, step) & cv::Rect(0, 0, W, H)).setTo(cb);
        const std::string n = a->name + " and " + b->name + " checkered";
        return facts("texture", n, {a->name, b->name},
                     {"on " + an(n) + " background", "on " + a->name + " and " + b->name + " checks"},
                     {an(n) + " background", an(a->name) + " and " + b->name + " checkerboard"});
    }
    const int radius = std::max(2, step / 3);
    for (int y = step / 2; y < H; y += step)
        for (int x = step / 2 + ((y / step) % 2) * step / 2; x < W; x += step)
            cv::circle(canvas, {x, y}, radius, cb, cv::FILLED, cv::LINE_AA);
    const std::string n = a->name + " background with " + b->name + " dots";
    return facts("texture", a->name + " with " + b->name + " dots", {a->name, b->name},
                 {"on " + an(n), "against " + a->name + " with " + b->name + " polka dots"},
                 {an(n), an(a->name) + " polka-dot background"});
}

BackgroundFacts BackgroundPainter::paintScene(cv::Mat &canvas, Rng &rng, const std::string &scene)
{
    const int W = canvas.cols, H = canvas.rows;
    auto v = [&](double base, double spread) { return base + rng.uniform(-spread, spread); };
    if (scene == "grass") {
        canvas.setTo(bgr(int(v(70, 10)), int(v(150, 15)), int(v(50, 10))));
        for (int i = 0, n = W * H / 40; i < n; ++i) {
            const cv::Point p(int(rng.below(W)), int(rng.below(H)));
            const int len = int(rng.range(3, std::max(4, H / 16)));
            cv::line(canvas, p, p + cv::Point(int(rng.range(-2, 2)), -len),
                     bgr(int(v(60, 30)), int(v(160, 40)), int(v(45, 20))), 1);
        }
        return facts("scene", scene, {}, {"on the grass", "on a grassy field", "in a meadow"},
                     {"a grassy field", "a lawn"});
    }
    if (scene == "sky") {
        verticalGradient(canvas, bgr(int(v(90, 15)), int(v(150, 15)), 235), bgr(int(v(175, 15)), int(v(215, 10)), 250));
        clouds(canvas, rng, int(rng.range(1, 3)));
        return facts("scene", scene, {}, {"in the sky", "against a clear sky", "under a cloudy sky"},
                     {"a clear sky", "a sky with clouds"});
    }
    if (scene == "beach") {
        const int horizon = int(H * v(0.3, 0.05)), shore = int(H * v(0.55, 0.05));
        verticalGradient(canvas, bgr(120, 180, 240), bgr(185, 220, 250), 0, horizon);
        verticalGradient(canvas, bgr(30, 110, 190), bgr(60, 160, 210), horizon, shore);
        verticalGradient(canvas, bgr(240, 215, 160), bgr(220, 190, 130), shore, H);
        return facts("scene", scene, {}, {"on a beach", "at the beach", "on the sand by the sea"},
                     {"a sandy beach", "a beach"});
    }
    if (scene == "sea") {
        verticalGradient(canvas, bgr(40, 120, 200), bgr(10, 60, 140));
        for (int y = int(rng.range(2, 6)); y < H; y += int(rng.range(6, 11))) {
            std::vector<cv::Point> wave;
            const double phase = rng.uniform(0, 6.28);
            for (int x = 0; x <= W; x += 4)
                wave.emplace_back(x, y + int(std::lround(2 * std::sin(x * 0.2 + phase))));
            cv::polylines(canvas, wave, false, bgr(120, 180, 230), 1, cv::LINE_AA);
        }
        return facts("scene", scene, {}, {"at sea", "on the water", "over the sea"}, {"the open sea", "the sea"});
    }
    if (scene == "snow") {
        verticalGradient(canvas, bgr(200, 210, 225), bgr(240, 244, 250));
        dots(canvas, rng, W * H / 90, bgr(255, 255, 255), 1);
        return facts("scene", scene, {}, {"in the snow", "on a snowy field", "in a snowy landscape"},
                     {"a snowy field", "snow"});
    }
    if (scene == "night") {
        verticalGradient(canvas, bgr(10, 15, 45), bgr(30, 40, 90));
        dots(canvas, rng, W * H / 300, bgr(255, 255, 210), 0);
        cv::circle(canvas, {int(rng.range(W / 8, W - W / 8)), int(rng.range(H / 10, H / 4))}, std::max(3, W / 14),
                   bgr(250, 245, 200), cv::FILLED, cv::LINE_AA);
        return facts("scene", scene, {}, {"at night", "under a starry sky", "under the night sky"},
                     {"a starry night sky", "the night sky"});
    }
    if (scene == "road") {
        canvas.setTo(bgr(int(v(95, 10)), int(v(95, 10)), int(v(100, 10))));
        const int verge = H / 6;
        canvas(cv::Rect(0, 0, W, verge)).setTo(bgr(70, 150, 50));
        canvas(cv::Rect(0, H - verge, W, verge)).setTo(bgr(70, 150, 50));
        const int mid = H / 2, dash = std::max(4, W / 10);
        for (int x = int(rng.below(dash)); x < W; x += 2 * dash)
            cv::rectangle(canvas, cv::Rect(x, mid - 1, dash, 3), bgr(250, 250, 250), cv::FILLED);
        return facts("scene", scene, {}, {"on a road", "on the street", "on an asphalt road"}, {"a road", "a street"});
    }
    if (scene == "brick wall") {
        canvas.setTo(bgr(200, 195, 185)); // mortar
        const int bh = std::max(4, H / 12), bw = 2 * bh;
        for (int y = 0, row = 0; y < H; y += bh, ++row)
            for (int x = (row % 2) ? -bw / 2 : 0; x < W; x += bw)
                cv::rectangle(canvas, cv::Rect(x + 1, y + 1, bw - 2, bh - 2) & cv::Rect(0, 0, W, H),
                              bgr(int(v(165, 20)), int(v(65, 12)), int(v(45, 10))), cv::FILLED);
        return facts("scene", scene, {}, {"in front of a brick wall", "against a brick wall"},
                     {"a brick wall", "a wall of bricks"});
    }
    if (scene == "wooden floor") {
        const int plank = std::max(6, H / 8);
        for (int y = 0; y < H; y += plank)
            canvas(cv::Rect(0, y, W, std::min(plank, H - y)))
                .setTo(bgr(int(v(175, 15)), int(v(120, 12)), int(v(70, 10))));
        for (int y = plank; y < H; y += plank)
            canvas.row(y).setTo(bgr(90, 55, 30));
        return facts("scene", scene, {}, {"on a wooden floor", "on wooden boards", "on a parquet floor"},
                     {"a wooden floor", "wooden floorboards"});
    }
    if (scene == "desert") {
        const int horizon = int(H * v(0.35, 0.05));
        verticalGradient(canvas, bgr(150, 200, 240), bgr(220, 235, 250), 0, horizon);
        canvas(cv::Rect(0, horizon, W, H - horizon)).setTo(bgr(225, 185, 110));
        const double phase = rng.uniform(0, 6.28);
        for (int k = 1; k <= 2; ++k) {
            std::vector<cv::Point> dune;
            for (int x = 0; x <= W; x += 4)
                dune.emplace_back(x, horizon + k * (H - horizon) / 3 +
                                         int(std::lround(4 * std::sin(x * 0.07 + phase * k))));
            cv::polylines(canvas, dune, false, bgr(190, 145, 80), 2, cv::LINE_AA);
        }
        return facts("scene", scene, {}, {"in the desert", "among sand dunes", "in a sandy desert"},
                     {"a desert", "sand dunes"});
    }
    if (scene == "sunset") {
        verticalGradient(canvas, bgr(90, 50, 120), bgr(250, 150, 60));
        cv::circle(canvas, {int(rng.range(W / 5, W - W / 5)), int(H * 0.8)}, std::max(4, W / 7), bgr(255, 210, 90),
                   cv::FILLED, cv::LINE_AA);
        return facts("scene", scene, {}, {"at sunset", "under a sunset sky", "in the evening sun"},
                     {"a sunset sky", "a sunset"});
    }
    // room: a wall above a floor
    const int floor = int(H * v(0.62, 0.06));
    canvas(cv::Rect(0, 0, W, floor)).setTo(bgr(int(v(235, 10)), int(v(225, 10)), int(v(200, 10))));
    canvas(cv::Rect(0, floor, W, H - floor)).setTo(bgr(150, 105, 70));
    canvas.row(floor).setTo(bgr(100, 70, 45));
    return facts("scene", "room", {}, {"in a room", "indoors", "inside a room"}, {"a room", "an indoor room"});
}

} // namespace poisonlab::demo
