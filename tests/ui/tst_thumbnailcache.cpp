// ThumbnailCache: thumbnails decode in the background and arrive through dataChanged for the
// rows of their image only; EXIF orientation is honoured; unreadable files become a "broken"
// picture; the newest requests win when too many are queued.
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/PairTableModel.h"
#include "browser/ThumbnailCache.h"

#include <QBuffer>
#include <QSemaphore>

using namespace poisonlab;
using poisonlab::ui::PairTableModel;
using poisonlab::ui::ThumbnailCache;

class TestThumbnailCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thumbnailsArriveThroughDataChanged();
    void unreadableFilesAreMarkedBroken();
    void exifOrientationIsApplied();
    void decodedAtTheScreensPixelRatio_data();
    void decodedAtTheScreensPixelRatio();
    void newestRequestsWinWhenTheQueueIsFull();
    void replacingTheDatasetDropsOldWork();
    void manyRequestsOnTwoDecodersArriveOnceEach();
};

namespace {

// Three readable PNGs (images 0..2), a missing file (3) and a text file named .png (4);
// captions: 0,1 -> image 0; 2 -> 1; 3 -> 2; 4 -> 3; 5 -> 4.
std::shared_ptr<data::Dataset> datasetIn(const std::filesystem::path &root)
{
    test::writePng(root / "a.png", QSize(300, 200), Qt::red);
    test::writePng(root / "b.png", QSize(50, 80), Qt::green);
    test::writePng(root / "c.png", QSize(640, 480), Qt::blue);
    test::writeText(root / "not-an-image.png", "hello");
    auto d = std::make_shared<data::Dataset>();
    d->root = root;
    d->classes = {"x"};
    for (const char *name : {"a.png", "b.png", "c.png", "missing.png", "not-an-image.png"}) {
        data::ImageRecord r;
        r.path = name;
        r.label = 0;
        d->images.push_back(r);
    }
    for (int image : {0, 0, 1, 2, 3, 4})
        d->captions.push_back(data::CaptionRecord{image, "caption", false, -1});
    return d;
}

// Rows announced by dataChanged signals in `spy`.
QSet<int> changedRows(const QSignalSpy &spy)
{
    QSet<int> rows;
    for (const auto &args : spy) {
        const auto from = args.at(0).value<QModelIndex>(), to = args.at(1).value<QModelIndex>();
        for (int r = from.row(); r <= to.row(); ++r)
            rows.insert(r);
    }
    return rows;
}

// A JPEG whose EXIF orientation says "rotate 90° clockwise" (6), stored as `stored`.
QByteArray jpegWithOrientation6(QSize stored)
{
    QImage image(stored, QImage::Format_RGB32);
    image.fill(Qt::yellow);
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPG");
    // APP1 "Exif" segment: big-endian TIFF header, one IFD entry: Orientation (0x0112) SHORT 6.
    const char exif[] = "\xFF\xE1\x00\x22"
                        "Exif\x00\x00"
                        "MM\x00\x2A\x00\x00\x00\x08"
                        "\x00\x01"
                        "\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00"
                        "\x00\x00\x00\x00";
    jpeg.insert(2, QByteArray(exif, sizeof(exif) - 1)); // right after SOI
    return jpeg;
}

} // namespace

void TestThumbnailCache::thumbnailsArriveThroughDataChanged()
{
    test::TempDir dir;
    ThumbnailCache cache;
    auto dataset = datasetIn(dir.path());
    cache.setDataset(dataset);
    PairTableModel model;
    model.setDataset(dataset);
    model.setThumbnailCache(&cache);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    ThumbnailCache::State state;
    const QPixmap first = cache.thumbnail(0, model.thumbnailSize(), &state);
    QCOMPARE(state, ThumbnailCache::State::Loading);
    QCOMPARE(first.size(), model.thumbnailSize()); // the placeholder
    QVERIFY(model.index(0, 0).data(Qt::DecorationRole).canConvert<QPixmap>());

    QTRY_VERIFY(cache.contains(0, model.thumbnailSize()));
    QTRY_VERIFY(changedRows(changed).contains(0));
    // Only the two captions of image 0 changed, and only their decoration.
    QCOMPARE(changedRows(changed), (QSet<int>{0, 1}));
    QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{Qt::DecorationRole});
    const QPixmap thumb = qvariant_cast<QPixmap>(model.index(1, 0).data(Qt::DecorationRole));
    QCOMPARE(thumb.size(), QSize(128, 85)); // 300x200 fitted into 128x128, aspect kept
    QCOMPARE(thumb.toImage().pixelColor(100, 60), QColor(Qt::red));

    // A small picture is not enlarged.
    cache.thumbnail(1, QSize(128, 128));
    QTRY_VERIFY(cache.contains(1, QSize(128, 128)));
    QCOMPARE(cache.thumbnail(1, QSize(128, 128), &state).size(), QSize(50, 80));
    QCOMPARE(state, ThumbnailCache::State::Ready);
    QTRY_COMPARE(cache.pendingCount(), 0);
}

void TestThumbnailCache::decodedAtTheScreensPixelRatio_data()
{
    QTest::addColumn<qreal>("ratio");
    QTest::addColumn<QSize>("pixels"); // 300x200 fitted into 128x128 logical pixels
    QTest::newRow("1x") << qreal(1.0) << QSize(128, 85);
    QTest::newRow("1.5x") << qreal(1.5) << QSize(192, 128);
    QTest::newRow("2x") << qreal(2.0) << QSize(256, 170);
}

// On a HiDPI screen a thumbnail has the screen's pixels (sharp) and the same logical size; the
// model still hears of it through dataChanged for its logical thumbnail size.
void TestThumbnailCache::decodedAtTheScreensPixelRatio()
{
    QFETCH(qreal, ratio);
    QFETCH(QSize, pixels);
    test::TempDir dir;
    ThumbnailCache cache;
    auto dataset = datasetIn(dir.path());
    cache.setDataset(dataset);
    cache.setDevicePixelRatio(ratio);
    PairTableModel model;
    model.setDataset(dataset);
    model.setThumbnailCache(&cache);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    cache.thumbnail(0, QSize(128, 128));
    QTRY_VERIFY(cache.contains(0, QSize(128, 128)));
    QCOMPARE(ready.first().at(1).toSize(), QSize(128, 128));
    QTRY_VERIFY(changedRows(changed).contains(0));
    const QPixmap thumb = qvariant_cast<QPixmap>(model.index(0, 0).data(Qt::DecorationRole));
    QCOMPARE(thumb.size(), pixels);
    QCOMPARE(thumb.devicePixelRatio(), ratio);
    QVERIFY(thumb.deviceIndependentSize().width() <= 128.01);
}

void TestThumbnailCache::unreadableFilesAreMarkedBroken()
{
    test::TempDir dir;
    ThumbnailCache cache;
    cache.setDataset(datasetIn(dir.path()));
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    cache.thumbnail(3, QSize(64, 64));
    cache.thumbnail(4, QSize(64, 64));
    QTRY_COMPARE(ready.count(), 2);
    ThumbnailCache::State state;
    cache.thumbnail(3, QSize(64, 64), &state);
    QCOMPARE(state, ThumbnailCache::State::Failed);
    cache.thumbnail(4, QSize(64, 64), &state);
    QCOMPARE(state, ThumbnailCache::State::Failed);
    QVERIFY(!cache.errorString(4, QSize(64, 64)).isEmpty());
    // Not retried on every paint.
    QTest::qWait(50);
    QCOMPARE(ready.count(), 2);
    // An index outside the dataset is broken at once.
    cache.thumbnail(99, QSize(64, 64), &state);
    QCOMPARE(state, ThumbnailCache::State::Failed);
}

void TestThumbnailCache::exifOrientationIsApplied()
{
    test::TempDir dir;
    QFile file(QString::fromStdString((dir / "rotated.jpg").string()));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(jpegWithOrientation6(QSize(240, 80)));
    file.close();
    QString error;
    const QImage image = ThumbnailCache::decode(file.fileName(), QSize(64, 64), &error);
    QVERIFY2(!image.isNull(), qPrintable(error));
    // Stored landscape 240x80, shown portrait: 80x240 fitted into 64x64 -> about 21x64.
    QCOMPARE(image.height(), 64);
    QVERIFY2(image.width() >= 20 && image.width() <= 22, qPrintable(QString::number(image.width())));
}

void TestThumbnailCache::newestRequestsWinWhenTheQueueIsFull()
{
    test::TempDir dir;
    ThumbnailCache cache;
    cache.setDataset(datasetIn(dir.path()));
    cache.threadPool()->setMaxThreadCount(1);
    cache.setMaxPending(2);
    // Hold the only decoder thread while five thumbnails are asked for, as when scrolling fast.
    QSemaphore release;
    cache.threadPool()->start([&release] { release.acquire(); });
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    for (int image : {0, 1, 2, 3, 4})
        cache.thumbnail(image, QSize(32, 32));
    QCOMPARE(cache.pendingCount(), 2); // the three oldest were dropped
    release.release();
    QTRY_COMPARE(ready.count(), 2);
    QCOMPARE(ready.at(0).at(0).toInt(), 4); // newest first
    QCOMPARE(ready.at(1).at(0).toInt(), 3);
    QTest::qWait(50);
    QCOMPARE(ready.count(), 2);
    QVERIFY(!cache.contains(0, QSize(32, 32)));
    // Asked again (scrolled back), a dropped one is decoded.
    cache.thumbnail(0, QSize(32, 32));
    QTRY_VERIFY(cache.contains(0, QSize(32, 32)));
}

void TestThumbnailCache::replacingTheDatasetDropsOldWork()
{
    test::TempDir dir;
    ThumbnailCache cache;
    cache.setDataset(datasetIn(dir.path()));
    cache.threadPool()->setMaxThreadCount(1);
    QSemaphore release;
    cache.threadPool()->start([&release] { release.acquire(); });
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    cache.thumbnail(0, QSize(32, 32));
    cache.setDataset(nullptr); // closed before the decoder got to it
    release.release();
    QTRY_COMPARE(cache.pendingCount(), 0);
    QTest::qWait(50);
    QCOMPARE(ready.count(), 0);
    QVERIFY(!cache.contains(0, QSize(32, 32)));
}

// Two decoder threads pop from the shared queue while the GUI thread keeps pushing and workers
// exit and restart as it runs dry: no request is lost or served twice, and the cache ends idle
// (also run under ThreadSanitizer: ./scripts/test.sh --tsan).
void TestThumbnailCache::manyRequestsOnTwoDecodersArriveOnceEach()
{
    constexpr int images = 40;
    test::TempDir dir;
    auto dataset = std::make_shared<data::Dataset>();
    dataset->root = dir.path();
    dataset->classes = {"x"};
    for (int i = 0; i < images; ++i) {
        const std::string name = "img" + std::to_string(i) + ".png";
        test::writePng(dir / name, QSize(20 + i, 16), i % 2 ? Qt::red : Qt::blue);
        data::ImageRecord r;
        r.path = name;
        r.label = 0;
        dataset->images.push_back(r);
    }
    ThumbnailCache cache;
    cache.setDataset(dataset);
    cache.threadPool()->setMaxThreadCount(2);
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    QSignalSpy idle(&cache, &ThumbnailCache::idle);
    for (int i = 0; i < images; ++i) {
        cache.thumbnail(i, QSize(16, 16));
        if (i % 8 == 7)
            QTest::qWait(5); // let the decoders drain the queue and exit, then start them again
    }
    QTRY_COMPARE(ready.count(), images); // times out if a request was lost
    QTRY_VERIFY(idle.count() >= 1 && cache.pendingCount() == 0);
    QTest::qWait(50);
    QCOMPARE(ready.count(), images); // and none was served twice
    QSet<int> arrived;
    for (const auto &args : ready)
        arrived.insert(args.at(0).toInt());
    QCOMPARE(arrived.size(), images);
    for (int i = 0; i < images; ++i)
        QVERIFY2(cache.contains(i, QSize(16, 16)), qPrintable(QString::number(i)));
}

POISONLAB_TEST_MAIN(TestThumbnailCache)
#include "tst_thumbnailcache.moc"
