// The decoded-image cache: a miss decodes, a hit (also after reopening) returns the same
// pixels without decoding, a changed file (mtime) is decoded again; one cache has one holder; the
// trainer's image source reads through it.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/data/ImageCache.h"
#include "poisonlab/core/data/ImageDecoder.h"
#include "poisonlab/core/train/DatasetImageSource.h"

#include <opencv2/imgcodecs.hpp>

#include <chrono>

using namespace poisonlab;
using namespace poisonlab::data;
namespace fs = std::filesystem;

namespace {

fs::path writeImage(const fs::path &p, int seed, int w = 40, int h = 30)
{
    cv::Mat img(h, w, CV_8UC3);
    cv::randu(img, cv::Scalar::all(seed), cv::Scalar::all(seed + 60));
    cv::imwrite(p.string(), img);
    return p;
}

bool same(const cv::Mat &a, const cv::Mat &b)
{
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

} // namespace

class TestImageCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hitAfterFirstLoad();
    void reopenedCacheHits();
    void mtimeChangeInvalidates();
    void secondHolderIsRefused();
    void trainingSourceReadsThroughCache();
};

void TestImageCache::hitAfterFirstLoad()
{
    test::TempDir dir;
    const fs::path img = writeImage(dir / "a.png", 10);
    ImageCache cache(dir / "cache", 16);
    QVERIFY(!cache.contains(img));
    const cv::Mat first = cache.get(img);
    QCOMPARE(cache.misses(), 1LL);
    QCOMPARE(cache.hits(), 0LL);
    QVERIFY(cache.contains(img));
    const cv::Mat second = cache.get(img);
    QCOMPARE(cache.hits(), 1LL);
    QCOMPARE(cache.misses(), 1LL);
    QVERIFY(same(first, second));
    QVERIFY(same(first, clip::resizeAndCenterCrop(decodeImageRgb(img), 16)));
    QCOMPARE(first.rows, 16);
    QCOMPARE(first.cols, 16);
}

void TestImageCache::reopenedCacheHits()
{
    test::TempDir dir;
    std::vector<fs::path> imgs;
    for (int i = 0; i < 70; ++i) // more than the first file growth (64 slots)
        imgs.push_back(writeImage(dir / ("i" + std::to_string(i) + ".png"), i));
    std::vector<cv::Mat> expected;
    {
        ImageCache cache(dir / "cache", 8);
        for (const auto &p : imgs)
            expected.push_back(cache.get(p));
    }
    ImageCache reopened(dir / "cache", 8);
    QCOMPARE(reopened.size(), imgs.size());
    for (std::size_t i = 0; i < imgs.size(); ++i)
        QVERIFY(same(reopened.get(imgs[i]), expected[i]));
    QCOMPARE(reopened.misses(), 0LL);
    QCOMPARE(reopened.hits(), static_cast<long long>(imgs.size()));
    // Another resolution is another cache.
    ImageCache other(dir / "cache", 12);
    QCOMPARE(other.size(), size_t(0));
}

void TestImageCache::mtimeChangeInvalidates()
{
    test::TempDir dir;
    const fs::path img = writeImage(dir / "a.png", 10);
    ImageCache cache(dir / "cache", 16);
    const cv::Mat before = cache.get(img);
    writeImage(img, 150); // same size on disk is not guaranteed: set mtime explicitly as well
    fs::last_write_time(img, fs::last_write_time(img) + std::chrono::seconds(5));
    QVERIFY(!cache.contains(img));
    const cv::Mat after = cache.get(img);
    QCOMPARE(cache.misses(), 2LL);
    QVERIFY(!same(before, after));
    QVERIFY(same(after, clip::resizeAndCenterCrop(decodeImageRgb(img), 16)));
    // Touching alone (same bytes, new mtime) also decodes again: the key includes the mtime.
    fs::last_write_time(img, fs::last_write_time(img) + std::chrono::seconds(5));
    cache.get(img);
    QCOMPARE(cache.misses(), 3LL);
}

// Two holders would hand out the same slots to different images: the second is refused while the
// first lives, and the training source then simply decodes without it.
void TestImageCache::secondHolderIsRefused()
{
    test::TempDir dir;
    {
        ImageCache first(dir.path() / "cache", 16);
        bool refused = false;
        try {
            ImageCache second(dir.path() / "cache", 16);
        } catch (const Error &e) {
            refused = std::string(e.what()).find("in use") != std::string::npos;
        }
        QVERIFY(refused);
        QVERIFY(!train::DatasetImageSource::openDiskCache(dir.path() / "cache", 16));
    }
    ImageCache again(dir.path() / "cache", 16); // released with its holder
    QCOMPARE(again.resolution(), 16);
}

// The trainer's image source decodes through the disk cache: a new source (a later epoch's or a
// later run's) gets every image from the cache, pixel for pixel what a source without it decodes.
void TestImageCache::trainingSourceReadsThroughCache()
{
    test::TempDir dir;
    auto ds = std::make_shared<Dataset>();
    ds->root = dir.path();
    for (int i = 0; i < 3; ++i) {
        writeImage(dir.path() / ("im" + std::to_string(i) + ".png"), 20 * i, 50 + 10 * i, 40);
        ImageRecord rec;
        rec.path = "im" + std::to_string(i) + ".png";
        ds->images.push_back(rec);
    }
    auto disk = std::make_shared<ImageCache>(dir.path() / "cache", 24);
    const std::vector<int> ids = {2, 0, 1};
    const torch::Tensor first = train::DatasetImageSource(ds, 24, 0, disk).load(ids);
    QCOMPARE(disk->misses(), 3LL);
    const torch::Tensor again = train::DatasetImageSource(ds, 24, 0, disk).load(ids);
    QCOMPARE(disk->hits(), 3LL);
    QCOMPARE(disk->misses(), 3LL);
    const torch::Tensor plain = train::DatasetImageSource(ds, 24, 0).load(ids);
    QCOMPARE(first.sizes().vec(), (std::vector<int64_t>{3, 24, 24, 3}));
    QVERIFY(torch::equal(first, again));
    QVERIFY(torch::equal(first, plain));
}

POISONLAB_TEST_MAIN(TestImageCache)
#include "tst_imagecache.moc"
