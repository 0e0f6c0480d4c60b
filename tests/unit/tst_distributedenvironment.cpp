// Where a process stands in a data-parallel job, read from the variables torchrun and Slurm set;
// Slurm node lists; how a batch is cut into the ranks' shards.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/distributed/BatchShards.h"
#include "poisonlab/core/distributed/DistributedEnvironment.h"

#include <map>

using namespace poisonlab;
using namespace poisonlab::distributed;

namespace {

using Variables = std::map<std::string, std::string>;

DistributedEnvironment::Getenv from(const Variables &vars)
{
    return [vars](const std::string &name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

Variables parse(const QString &text)
{
    Variables out;
    for (const QString &item : text.split(' ', Qt::SkipEmptyParts)) {
        const auto eq = item.indexOf('=');
        out[item.left(eq).toStdString()] = item.mid(eq + 1).toStdString();
    }
    return out;
}

} // namespace

class TestDistributedEnvironment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsTheLaunchersVariables_data();
    void readsTheLaunchersVariables();
    void badVariablesAreNamed_data();
    void badVariablesAreNamed();
    void firstHostOfASlurmNodeList_data();
    void firstHostOfASlurmNodeList();
    void shardsSplitTheBatchEvenlyInOrder_data();
    void shardsSplitTheBatchEvenlyInOrder();
};

void TestDistributedEnvironment::readsTheLaunchersVariables_data()
{
    QTest::addColumn<QString>("variables");
    QTest::addColumn<QString>("launcher");
    QTest::addColumn<int>("rank");
    QTest::addColumn<int>("world");
    QTest::addColumn<int>("localRank");
    QTest::addColumn<QString>("master");
    QTest::addColumn<int>("port");
    QTest::newRow("nothing set: one process") << ""
                                              << "none" << 0 << 1 << 0 << "127.0.0.1" << 29500;
    QTest::newRow("torchrun") << "RANK=3 WORLD_SIZE=4 LOCAL_RANK=1 MASTER_ADDR=node7 MASTER_PORT=29400"
                              << "torchrun" << 3 << 4 << 1 << "node7" << 29400;
    QTest::newRow("torchrun without LOCAL_RANK") << "RANK=1 WORLD_SIZE=2"
                                                 << "torchrun" << 1 << 2 << 1 << "127.0.0.1" << 29500;
    QTest::newRow("srun, master from the node list")
        << "SLURM_PROCID=5 SLURM_NTASKS=8 SLURM_LOCALID=1 SLURM_JOB_NODELIST=gpu[03-06] SLURM_JOB_ID=123456"
        << "slurm" << 5 << 8 << 1 << "gpu03" << 20000 + 123456 % 20000;
    QTest::newRow("srun with MASTER_ADDR/MASTER_PORT")
        << "SLURM_PROCID=1 SLURM_NTASKS=2 SLURM_NODELIST=a,b MASTER_ADDR=head MASTER_PORT=1234"
        << "slurm" << 1 << 2 << 0 << "head" << 1234;
    QTest::newRow("sbatch of one task (a sweep cell): alone")
        << "SLURM_PROCID=0 SLURM_NTASKS=1 SLURM_JOB_NODELIST=gpu01"
        << "none" << 0 << 1 << 0 << "127.0.0.1" << 29500;
    QTest::newRow("torchrun inside a Slurm job wins")
        << "RANK=0 WORLD_SIZE=2 SLURM_PROCID=0 SLURM_NTASKS=4 SLURM_JOB_NODELIST=n1"
        << "torchrun" << 0 << 2 << 0 << "127.0.0.1" << 29500;
}

void TestDistributedEnvironment::readsTheLaunchersVariables()
{
    QFETCH(QString, variables);
    QFETCH(QString, launcher);
    QFETCH(int, rank);
    QFETCH(int, world);
    QFETCH(int, localRank);
    QFETCH(QString, master);
    QFETCH(int, port);
    const auto env = DistributedEnvironment::fromEnvironment(from(parse(variables)));
    QCOMPARE(QString::fromStdString(env.launcher), launcher);
    QCOMPARE(env.rank, rank);
    QCOMPARE(env.worldSize, world);
    QCOMPARE(env.localRank, localRank);
    QCOMPARE(QString::fromStdString(env.masterAddr), master);
    QCOMPARE(env.masterPort, port);
    QCOMPARE(env.active(), world > 1);
}

void TestDistributedEnvironment::badVariablesAreNamed_data()
{
    QTest::addColumn<QString>("variables");
    QTest::addColumn<QString>("expected");
    QTest::newRow("rank not a number") << "RANK=one WORLD_SIZE=2"
                                       << "RANK=\"one\"";
    QTest::newRow("rank outside the world") << "RANK=2 WORLD_SIZE=2"
                                            << "rank 2 is outside a world of 2";
    QTest::newRow("world of zero") << "RANK=0 WORLD_SIZE=0"
                                   << "at least 1";
    QTest::newRow("port out of range") << "RANK=0 WORLD_SIZE=2 MASTER_PORT=70000"
                                       << "MASTER_PORT=70000";
    QTest::newRow("port with junk") << "RANK=0 WORLD_SIZE=2 MASTER_PORT=29500x"
                                    << "MASTER_PORT=\"29500x\"";
    QTest::newRow("negative Slurm rank") << "SLURM_PROCID=-1 SLURM_NTASKS=2"
                                         << "SLURM_PROCID";
    QTest::newRow("malformed node list") << "SLURM_PROCID=0 SLURM_NTASKS=2 SLURM_JOB_NODELIST=gpu[03-"
                                         << "malformed";
}

void TestDistributedEnvironment::badVariablesAreNamed()
{
    QFETCH(QString, variables);
    QFETCH(QString, expected);
    try {
        DistributedEnvironment::fromEnvironment(from(parse(variables)));
        QFAIL("expected an error");
    } catch (const Error &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

void TestDistributedEnvironment::firstHostOfASlurmNodeList_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<QString>("first");
    QTest::newRow("one host") << "node5"
                              << "node5";
    QTest::newRow("hosts") << "node5,node6"
                           << "node5";
    QTest::newRow("range, zero padded") << "gpu[07-09,12],cpu3"
                                        << "gpu07";
    QTest::newRow("list in brackets") << "c[3,5-6]"
                                      << "c3";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("unclosed") << "gpu[1-2"
                              << "";
    QTest::newRow("empty brackets") << "gpu[]"
                                    << "";
}

void TestDistributedEnvironment::firstHostOfASlurmNodeList()
{
    QFETCH(QString, list);
    QFETCH(QString, first);
    if (first.isEmpty()) {
        QVERIFY_THROWS_EXCEPTION(Error, firstSlurmHost(list.toStdString()));
        return;
    }
    QCOMPARE(QString::fromStdString(firstSlurmHost(list.toStdString())), first);
}

void TestDistributedEnvironment::shardsSplitTheBatchEvenlyInOrder_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("world");
    QTest::addColumn<QString>("sizes");
    QTest::newRow("even") << 8 << 2 << "4 4";
    QTest::newRow("uneven: the last batch of an epoch") << 7 << 3 << "2 2 3";
    QTest::newRow("one process") << 5 << 1 << "5";
}

void TestDistributedEnvironment::shardsSplitTheBatchEvenlyInOrder()
{
    QFETCH(int, rows);
    QFETCH(int, world);
    QFETCH(QString, sizes);
    QStringList got;
    std::int64_t next = 0;
    for (int r = 0; r < world; ++r) {
        const auto [begin, end] = shardOf(rows, r, world);
        QCOMPARE(begin, next); // contiguous, in rank order
        next = end;
        got << QString::number(end - begin);
    }
    QCOMPARE(next, std::int64_t(rows));
    QCOMPARE(got.join(' '), sizes);
    QCOMPARE(shardSizes(rows, world).size(), std::size_t(world));
}

POISONLAB_TEST_MAIN(TestDistributedEnvironment)
#include "tst_distributedenvironment.moc"
