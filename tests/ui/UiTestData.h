#pragma once
// Small datasets and files the workbench tests build for themselves (header-only: the ui
// runner compiles only tst_*.cpp files).
#include "TestSupport.h"

#include "poisonlab/core/data/Dataset.h"

#include <QColor>
#include <QImage>
#include <QPainter>
#include <QString>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace poisonlab::test {

/// Six images in four classes and ten captions, two of them poisoned (sheep captions moved to
/// the aeroplane image): the golden dataset of the model and filter tests.
///   image 0 cat/c1 train, 1 cat/c2 test, 2 dog/d1 train, 3 dog/d2 val, 4 sheep/s1 train,
///   5 aeroplane/a1 test
inline std::shared_ptr<data::Dataset> goldenDataset()
{
    auto d = std::make_shared<data::Dataset>();
    d->name = "golden";
    d->format = "test";
    d->root = "/nonexistent-root";
    d->classes = {"cat", "dog", "sheep", "aeroplane"};
    auto image = [&](std::string path, int label, data::Split split) {
        data::ImageRecord r;
        r.path = std::move(path);
        r.sourceId = r.path;
        r.label = label;
        r.categories = {label};
        r.split = split;
        r.width = 64;
        r.height = 48;
        d->images.push_back(std::move(r));
    };
    image("cat/c1.png", 0, data::Split::Train);
    image("cat/c2.png", 0, data::Split::Test);
    image("dog/d1.png", 1, data::Split::Train);
    image("dog/d2.png", 1, data::Split::Val);
    image("sheep/s1.png", 2, data::Split::Train);
    image("aeroplane/a1.png", 3, data::Split::Test);
    auto caption = [&](int img, std::string text, bool poisoned = false, int original = -1) {
        d->captions.push_back(data::CaptionRecord{img, std::move(text), poisoned, original});
    };
    caption(0, "A cat sleeps on a red sofa.");               // 0
    caption(0, "The small cat is sleeping.");                // 1
    caption(1, "A black cat in the garden.");                // 2
    caption(2, "A dog runs on green grass.");                // 3
    caption(3, "Two dogs play with a ball.");                // 4
    caption(4, "A sheep stands in a field.");                // 5
    caption(5, "An aeroplane parked at Flughafen München."); // 6
    caption(5, "A sheep grazing on the hill.", true, 4);     // 7
    caption(5, "White sheep near a fence.", true, 4);        // 8
    caption(4, "Sheep on grass.");                           // 9
    d->skipped.push_back({"sentence/cat/c3.txt", "no image file"});
    return d;
}

/// Writes a PNG of `size` filled with `color` (a darker square marks its top-left corner).
inline void writePng(const std::filesystem::path &path, QSize size, QColor color)
{
    std::filesystem::create_directories(path.parent_path());
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    QPainter p(&image);
    p.fillRect(QRect(0, 0, size.width() / 4, size.height() / 4), color.darker(200));
    p.end();
    QVERIFY2(image.save(QString::fromStdString(path.string()), "PNG"), path.c_str());
}

/// A dataset in the PASCAL-sentences layout: dataset/<class>/<class>_<n>.png and
/// sentence/<class>/<class>_<n>.txt with `sentences` lines each.
inline void writePascalLayout(const std::filesystem::path &root, const std::vector<std::string> &classes,
                              int imagesPerClass, int sentences)
{
    const QColor colors[] = {Qt::red, Qt::darkGreen, Qt::blue, Qt::darkYellow, Qt::magenta};
    int c = 0;
    for (const auto &cls : classes) {
        for (int i = 0; i < imagesPerClass; ++i) {
            const std::string stem = cls + "_" + std::to_string(i);
            writePng(root / "dataset" / cls / (stem + ".png"), QSize(96 + 8 * i, 64), colors[c % 5]);
            std::string text;
            for (int s = 0; s < sentences; ++s)
                text += "A " + cls + " picture number " + std::to_string(i) + ", sentence " + std::to_string(s) + ".\n";
            writeText(root / "sentence" / cls / (stem + ".txt"), text);
        }
        ++c;
    }
}

} // namespace poisonlab::test
