// The embedding map: hover picks the nearest visible point within the radius and a rubber band
// selects exactly the points inside (both through the grid index, checked against brute force on
// random points); a legend entry hides its group from drawing and hit-testing; the density image
// is drawn above the point threshold and single markers below (zoomed in, few are visible); the
// panel reads a cached projection back instead of computing it, computes (and caches) one made
// with other parameters, writes nothing when cancelled; the two maps' selections are linked.
#include "TestSupport.h"

#include "analysis/EmbeddingMapPanel.h"
#include "analysis/EmbeddingMapView.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/RunProjection.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>

#include <cmath>
#include <random>

using namespace poisonlab;
using nlohmann::json;
using ui::EmbeddingMapPanel;
using ui::EmbeddingMapView;
using ui::MapGroup;
using ui::MapModality;
using ui::MapPoint;
namespace fs = std::filesystem;

namespace {

QString qs(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

// `n` points in a few Gaussian clusters (as t-SNE draws them), groups 0..2, every 3rd a caption.
QVector<MapPoint> clusteredPoints(int n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> spread(0, 1.5f);
    std::uniform_real_distribution<float> centre(-20, 20);
    std::vector<QPointF> centres;
    for (int c = 0; c < 12; ++c)
        centres.emplace_back(centre(rng), centre(rng));
    QVector<MapPoint> points;
    for (int i = 0; i < n; ++i) {
        const QPointF c = centres[std::size_t(i) % centres.size()];
        MapPoint p;
        p.x = float(c.x()) + spread(rng);
        p.y = float(c.y()) + spread(rng);
        p.modality = i % 3 == 0 ? MapModality::Caption : MapModality::Image;
        p.row = i;
        p.group = i % 3;
        points.push_back(p);
    }
    return points;
}

QVector<MapGroup> threeGroups()
{
    return {{"a", Qt::red, true}, {"b", Qt::blue, true}, {"c", Qt::darkGreen, true}};
}

// Brute force: the visible point nearest to `pos` in pixels within the radius (lowest id on ties).
int bruteNearest(const EmbeddingMapView &view, QPointF pos, double *distance)
{
    const auto v = view.viewport();
    int best = -1;
    double bestD = EmbeddingMapView::kHoverRadius;
    for (qsizetype i = 0; i < view.points().size(); ++i) {
        const MapPoint &p = view.points()[i];
        if (!view.groups()[p.group].visible)
            continue;
        const double d = std::hypot(v.toPixel(p.x, p.y).x() - pos.x(), v.toPixel(p.x, p.y).y() - pos.y());
        if (d <= bestD && (best < 0 || d < bestD)) {
            best = int(i);
            bestD = d;
        }
    }
    *distance = bestD;
    return best;
}

// A run directory holding an evaluation record of `n` images and 2n captions (random 8-d
// embeddings; classes a/b; captions of a are the goal's source, images of b its targets).
void makeRun(const fs::path &dir, const std::string &name, unsigned seed, int n = 30)
{
    experiment::RunManifest manifest;
    manifest.name = name;
    experiment::RunDirectory::create(dir, manifest);
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0, 1);
    auto matrix = [&](int rows) {
        std::vector<float> m(std::size_t(rows) * 8);
        for (float &v : m)
            v = noise(rng);
        return m;
    };
    const fs::path rec = dir / "results" / "embeddings" / "final";
    fs::create_directories(rec);
    writeNpy(rec / "images.npy", matrix(n).data(), {n, 8});
    writeNpy(rec / "captions.npy", matrix(2 * n).data(), {2 * n, 8});
    json images = json::array(), captions = json::array(), targets = json::array();
    for (int i = 0; i < n; ++i) {
        const std::string cls = i % 2 ? "b" : "a";
        images.push_back({{"row", i}, {"image", i}, {"path", "img" + std::to_string(i) + ".png"}, {"class", cls}});
        if (cls == "b")
            targets.push_back(i);
        for (int k = 0; k < 2; ++k)
            captions.push_back({{"row", 2 * i + k},
                                {"caption", 2 * i + k},
                                {"text", "a " + cls},
                                {"image_row", i},
                                {"class", cls},
                                {"poisoned", false}});
    }
    writeJsonAtomically(
        rec / "index.json",
        {{"classes", {"a", "b"}},
         {"images", images},
         {"captions", captions},
         {"goals", {{{"source", "a"}, {"targets", {"b"}}, {"target_rows", targets}, {"target_image_row", -1}}}}});
}

// Waits for the panel's job; true when a projection is shown.
bool waitForProjection(EmbeddingMapPanel &panel)
{
    QSignalSpy shown(&panel, &EmbeddingMapPanel::projectionShown);
    QSignalSpy missing(&panel, &EmbeddingMapPanel::projectionMissing);
    return QTest::qWaitFor([&] { return !shown.isEmpty() || !missing.isEmpty(); }, 30000) && !shown.isEmpty();
}

} // namespace

class TestEmbeddingMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exportsLikeEveryChart_data();
    void exportsLikeEveryChart();
    void hoverPicksNearestVisiblePoint_data();
    void hoverPicksNearestVisiblePoint();
    void rubberBandSelectsExactlyThePointsInside_data();
    void rubberBandSelectsExactlyThePointsInside();
    void shiftDragSelectsAndEmits();
    void legendEntryHidesItsGroup();
    void densityAboveThresholdMarkersBelow_data();
    void densityAboveThresholdMarkersBelow();
    void cachedProjectionIsReadBack_data();
    void cachedProjectionIsReadBack();
    void cancelledProjectionWritesNothing();
    void sideBySideSelectionIsLinked();
};

void TestEmbeddingMap::exportsLikeEveryChart_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("starts"); // the file's first bytes
    QTest::newRow("png") << "map.png" << QByteArray("\x89PNG");
    QTest::newRow("svg") << "map.svg" << QByteArray("<?xml");
    QTest::newRow("pdf") << "map.pdf" << QByteArray("%PDF");
}

// The map exports as the charts do: PNG at twice the chosen size, SVG, PDF; written whole.
void TestEmbeddingMap::exportsLikeEveryChart()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, starts);
    test::TempDir dir;
    EmbeddingMapView view;
    view.resize(400, 300);
    view.setPoints(clusteredPoints(500, 4), threeGroups());
    const QString path = QString::fromStdString((dir / file.toStdString()).string());
    QString error;
    QVERIFY2(view.exportTo(path, QSize(300, 200), &error), qPrintable(error));
    QFile out(path);
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.read(starts.size()), starts);
    if (file.endsWith(QLatin1String(".png")))
        QCOMPARE(QImage(path).size(), QSize(600, 400));
}

void TestEmbeddingMap::hoverPicksNearestVisiblePoint_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("zoom");
    QTest::addColumn<int>("hiddenGroup");
    QTest::newRow("sparse") << 200 << 1.0 << -1;
    QTest::newRow("crowded") << 30000 << 1.0 << -1;
    QTest::newRow("crowded, zoomed in") << 30000 << 12.0 << -1;
    QTest::newRow("a group hidden") << 20000 << 1.5 << 1;
}

void TestEmbeddingMap::hoverPicksNearestVisiblePoint()
{
    QFETCH(int, count);
    QFETCH(double, zoom);
    QFETCH(int, hiddenGroup);
    EmbeddingMapView view;
    view.resize(640, 480);
    view.setPoints(clusteredPoints(count, unsigned(count)), threeGroups());
    view.zoomAt(QPointF(320, 240), zoom);
    if (hiddenGroup >= 0)
        view.setGroupVisible(hiddenGroup, false);
    std::mt19937 rng(7);
    const QRectF plot = view.viewport().plot;
    std::uniform_real_distribution<double> x(plot.left(), plot.right()), y(plot.top(), plot.bottom());
    int hits = 0;
    for (int q = 0; q < 400; ++q) {
        const QPointF pos(x(rng), y(rng));
        if (view.legendEntryAt(pos) >= 0)
            continue;
        double d = 0;
        const int expected = bruteNearest(view, pos, &d);
        if (expected >= 0 && std::abs(d - EmbeddingMapView::kHoverRadius) < 1e-6)
            continue; // on the radius itself: rounding decides
        const int got = view.pointAt(pos);
        QCOMPARE(got >= 0, expected >= 0);
        if (got < 0)
            continue;
        ++hits;
        const auto v = view.viewport();
        const QPointF g = v.toPixel(view.points()[got].x, view.points()[got].y);
        QVERIFY2(std::abs(std::hypot(g.x() - pos.x(), g.y() - pos.y()) - d) < 1e-4, "not the nearest point");
        QVERIFY(view.groups()[view.points()[got].group].visible);
    }
    QVERIFY2(hits > 10, "the random queries hardly hit a point; the test proves little");
}

void TestEmbeddingMap::rubberBandSelectsExactlyThePointsInside_data()
{
    QTest::addColumn<QRectF>("band");
    QTest::addColumn<double>("zoom");
    QTest::newRow("small") << QRectF(300, 200, 40, 30) << 1.0;
    QTest::newRow("large") << QRectF(60, 60, 400, 300) << 1.0;
    QTest::newRow("zoomed in") << QRectF(100, 80, 250, 200) << 6.0;
    QTest::newRow("dragged up-left") << QRectF(500, 400, -300, -250) << 2.0;
    QTest::newRow("empty corner") << QRectF(600, 440, 10, 10) << 1.0;
}

void TestEmbeddingMap::rubberBandSelectsExactlyThePointsInside()
{
    QFETCH(QRectF, band);
    QFETCH(double, zoom);
    EmbeddingMapView view;
    view.resize(640, 480);
    view.setPoints(clusteredPoints(20000, 3), threeGroups());
    view.zoomAt(QPointF(320, 240), zoom);
    QSignalSpy selected(&view, &EmbeddingMapView::pairsSelected);
    view.selectRect(band);
    QCOMPARE(selected.count(), 1);

    const QRectF d = view.viewport().toData(band.normalized());
    QList<int> captions, images;
    for (const MapPoint &p : view.points())
        if (p.x >= d.left() && p.x <= d.right() && p.y >= d.top() && p.y <= d.bottom())
            (p.modality == MapModality::Caption ? captions : images) << p.row;
    std::sort(captions.begin(), captions.end());
    std::sort(images.begin(), images.end());
    QCOMPARE(selected[0][0].value<QList<int>>(), captions);
    QCOMPARE(selected[0][1].value<QList<int>>(), images);
    QCOMPARE(view.selectedCaptionRows(), captions);
    QCOMPARE(view.selectedImageRows(), images);
}

void TestEmbeddingMap::shiftDragSelectsAndEmits()
{
    EmbeddingMapView view;
    view.resize(640, 480);
    view.setPoints(clusteredPoints(3000, 5), threeGroups());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy selected(&view, &EmbeddingMapView::pairsSelected);
    const QPoint from(150, 120), to(420, 330);
    QTest::mousePress(&view, Qt::LeftButton, Qt::ShiftModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), view.mapToGlobal(QPointF(to)), Qt::NoButton, Qt::LeftButton,
                     Qt::ShiftModifier);
    QApplication::sendEvent(&view, &move);
    QTest::mouseRelease(&view, Qt::LeftButton, Qt::ShiftModifier, to);
    QCOMPARE(selected.count(), 1);
    const QVector<int> inside = view.pointsIn(QRectF(from, to));
    QVERIFY(!inside.isEmpty());
    QCOMPARE(selected[0][0].value<QList<int>>().size() + selected[0][1].value<QList<int>>().size(),
             qsizetype(inside.size()));
}

void TestEmbeddingMap::legendEntryHidesItsGroup()
{
    EmbeddingMapView view;
    view.resize(640, 480);
    view.setPoints(clusteredPoints(3000, 9), threeGroups());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QRectF all = view.viewport().plot;
    const int before = int(view.pointsIn(all).size());
    QVERIFY(before > 0);
    // Find the legend entry of group 1 and click it.
    QPoint entry;
    for (int y = 0; y < view.height() && entry.isNull(); y += 2)
        for (int x = view.width() - 1; x > view.width() / 2; x -= 2)
            if (view.legendEntryAt(QPointF(x, y)) == 1) {
                entry = QPoint(x, y);
                break;
            }
    QVERIFY(!entry.isNull());
    QTest::mouseClick(&view, Qt::LeftButton, {}, entry);
    QVERIFY(!view.isGroupVisible(1));
    const QVector<int> after = view.pointsIn(all);
    QCOMPARE(after.size(), before - 1000); // every third point is in group 1
    for (int i : after)
        QVERIFY(view.points()[i].group != 1);
    // No hover lands on a hidden point: hover at each of group 1's points.
    for (qsizetype i = 1; i < view.points().size(); i += 3 * 50) {
        const int hit = view.pointAt(view.viewport().toPixel(view.points()[i].x, view.points()[i].y));
        QVERIFY(hit < 0 || view.points()[hit].group != 1);
    }
    QTest::mouseClick(&view, Qt::LeftButton, {}, entry);
    QVERIFY(view.isGroupVisible(1));
    QCOMPARE(int(view.pointsIn(all).size()), before);
}

void TestEmbeddingMap::densityAboveThresholdMarkersBelow_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("threshold");
    QTest::addColumn<double>("zoom");
    QTest::addColumn<bool>("density");
    QTest::newRow("few points") << 500 << 4000 << 1.0 << false;
    QTest::newRow("30,000 points") << 30000 << 4000 << 1.0 << true;
    QTest::newRow("30,000 points, zoomed in") << 30000 << 4000 << 40.0 << false;
    QTest::newRow("low threshold") << 500 << 100 << 1.0 << true;
}

void TestEmbeddingMap::densityAboveThresholdMarkersBelow()
{
    QFETCH(int, count);
    QFETCH(int, threshold);
    QFETCH(double, zoom);
    QFETCH(bool, density);
    EmbeddingMapView view;
    view.resize(640, 480);
    view.setPointThreshold(threshold);
    view.setPoints(clusteredPoints(count, 11), threeGroups());
    view.zoomAt(QPointF(320, 240), zoom);
    QCOMPARE(view.usesDensity(), density);
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&image);
    QCOMPARE(view.render(painter, QRectF(QPointF(0, 0), QSizeF(view.size())), view.palette(), false), density);
}

void TestEmbeddingMap::cachedProjectionIsReadBack_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<double>("cachedPerplexity");
    QTest::addColumn<bool>("fromCache");
    QTest::newRow("PCA cached") << "pca" << 0.0 << true;
    QTest::newRow("t-SNE cached, same parameters") << "tsne" << 5.0 << true;
    QTest::newRow("t-SNE cached, other perplexity") << "tsne" << 7.0 << false;
    QTest::newRow("t-SNE cached before Barnes-Hut (exact, no method named)") << "tsne-legacy" << 5.0 << true;
}

void TestEmbeddingMap::cachedProjectionIsReadBack()
{
    QFETCH(QString, method);
    QFETCH(double, cachedPerplexity);
    QFETCH(bool, fromCache);
    const bool legacy = method == "tsne-legacy";
    if (legacy)
        method = "tsne";
    test::TempDir tmp;
    const fs::path run = tmp / "attack";
    makeRun(run, "attack", 1);
    // A cache whose points are recognisable (all at x = 7.5): a recomputation would not give them.
    experiment::ProjectionOptions o;
    o.runDir = run;
    o.method = method.toStdString();
    o.tsne.perplexity = cachedPerplexity;
    o.tsne.iterations = 250;
    NullProgress quiet;
    json doc = experiment::computeProjection(o, quiet);
    for (json &p : doc["models"]["final"]["points"])
        p["x"] = 7.5;
    if (legacy) { // as analyze wrote it before TsneOptions had a method and an angle
        doc["params"].erase("method");
        doc["params"].erase("angle");
    }
    writeJsonAtomically(experiment::projectionFile(run, o.method), doc);

    EmbeddingMapPanel panel;
    panel.setMethod(method == "pca" ? EmbeddingMapPanel::Method::Pca : EmbeddingMapPanel::Method::Tsne);
    panel.setTsneParameters(5.0, 250, 0, 0);
    panel.setRuns({qs(run), QString()});
    QVERIFY2(waitForProjection(panel), qPrintable(panel.statusText())); // setRuns shows what the run has
    panel.setTsneParameters(5.0, 250, 0, 0, legacy ? "exact" : "auto");
    panel.project();
    QVERIFY(waitForProjection(panel));
    QCOMPARE(panel.projection()->fromCache, fromCache);
    const auto &points = panel.poisonedMap()->points();
    QCOMPARE(points.size(), qsizetype(90));
    const bool allCached = std::all_of(points.begin(), points.end(), [](const MapPoint &p) { return p.x == 7.5f; });
    QCOMPARE(allCached, fromCache);
    // A computed projection replaced the cache, with the parameters it was made with.
    const json written = readJsonFile(experiment::projectionFile(run, o.method));
    if (method == "tsne")
        QCOMPARE(written["params"]["perplexity"].get<double>(), fromCache ? cachedPerplexity : 5.0);
}

void TestEmbeddingMap::cancelledProjectionWritesNothing()
{
    test::TempDir tmp;
    const fs::path run = tmp / "attack";
    makeRun(run, "attack", 2, 200);
    EmbeddingMapPanel panel;
    panel.setTsneParameters(30, 5000, 0, 0);
    panel.setRuns({qs(run), QString()});
    QVERIFY(QTest::qWaitFor([&] { return !panel.isBusy(); }, 10000));
    QSignalSpy cancelled(panel.runner(), &ui::JobRunner::cancelled);
    panel.project();
    panel.cancel();
    QVERIFY(QTest::qWaitFor([&] { return !cancelled.isEmpty(); }, 30000));
    QVERIFY(!fs::exists(experiment::projectionFile(run, "tsne")));
    QVERIFY(panel.statusText().contains("nothing was written"));
    QVERIFY(!fs::exists(run / "results" / "analysis") || fs::is_empty(run / "results" / "analysis"));
}

void TestEmbeddingMap::sideBySideSelectionIsLinked()
{
    test::TempDir tmp;
    makeRun(tmp / "attack", "attack", 3);
    makeRun(tmp / "clean", "clean", 4);
    EmbeddingMapPanel panel;
    panel.resize(1200, 600);
    panel.setMethod(EmbeddingMapPanel::Method::Pca);
    panel.setRuns({qs(tmp / "attack"), qs(tmp / "clean")});
    QVERIFY(QTest::qWaitFor([&] { return !panel.isBusy(); }, 10000));
    panel.project();
    QVERIFY(waitForProjection(panel));
    QCOMPARE(panel.projection()->referenceLabel, QString("clean/final"));
    QVERIFY(fs::exists(experiment::projectionFile(tmp / "attack", "pca")));
    QSignalSpy selected(&panel, &EmbeddingMapPanel::pairsSelected);
    for (EmbeddingMapView *from : {panel.poisonedMap(), panel.cleanMap()}) {
        EmbeddingMapView *to = from == panel.poisonedMap() ? panel.cleanMap() : panel.poisonedMap();
        const QRectF plot = from->viewport().plot;
        from->selectRect(QRectF(plot.topLeft(), QSizeF(plot.width() / 2, plot.height())));
        QVERIFY(!from->selectedCaptionRows().isEmpty() || !from->selectedImageRows().isEmpty());
        QCOMPARE(to->selectedCaptionRows(), from->selectedCaptionRows());
        QCOMPARE(to->selectedImageRows(), from->selectedImageRows());
        QCOMPARE(selected.last()[0].value<QList<int>>(), from->selectedCaptionRows());
    }
    QCOMPARE(selected.count(), 2);
    // The gallery maps the rows to the dataset's caption indices (here the same numbers).
    QCOMPARE(panel.gallery()->datasetCaptions(panel.poisonedMap()->selectedCaptionRows()),
             panel.poisonedMap()->selectedCaptionRows());
}

POISONLAB_TEST_MAIN(TestEmbeddingMap)
#include "tst_embeddingmap.moc"
