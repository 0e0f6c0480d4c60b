// c10d's Gloo process group is compiled into Debian's libtorch; its header wants this macro.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include "poisonlab/core/distributed/DistributedGroup.h"

#include "poisonlab/core/Error.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef POISONLAB_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/torch.h>

#include <cstdlib>

namespace poisonlab::distributed {

class DistributedGroup::Impl {
public:
    DistributedEnvironment env;
    GroupOptions options;
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroup> group;
    std::string backend;
    long long storeSequence = 0; // agree()/checkSameEverywhere() keys are numbered in call order

    std::string storeValue(const std::string &key)
    {
        const std::vector<std::uint8_t> bytes = store->get(key);
        return std::string(bytes.begin(), bytes.end());
    }

    void storeSet(const std::string &key, const std::string &value)
    {
        store->set(key, std::vector<std::uint8_t>(value.begin(), value.end()));
    }

    /// Every rank's value for `key` (set by each rank under key/<rank>); a rank that never sets
    /// its value ends the wait with an error after the timeout.
    std::vector<std::string> exchange(const std::string &kind, const std::string &label, const std::string &value)
    {
        const std::string key = kind + "/" + std::to_string(storeSequence++) + "/" + label;
        storeSet(key + "/" + std::to_string(env.rank), value);
        std::vector<std::string> keys;
        for (int r = 0; r < env.worldSize; ++r)
            keys.push_back(key + "/" + std::to_string(r));
        try {
            store->wait(keys, options.timeout);
        } catch (const c10::Error &) {
            throw Error("distributed run: not every rank reached \"" + label + "\" within " +
                        std::to_string(options.timeout.count() / 1000) + " s (a rank failed or stopped; see its log)");
        }
        std::vector<std::string> values;
        for (const auto &k : keys)
            values.push_back(storeValue(k));
        return values;
    }
};

namespace {

std::shared_ptr<::gloo::transport::Device> glooDevice(const DistributedEnvironment &env)
{
    // As torch.distributed: GLOO_SOCKET_IFNAME names the interface; a loopback master means a
    // one-machine job, which needs no resolvable hostname.
    if (const char *ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
        return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
    if (env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost")
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

c10::intrusive_ptr<c10d::ProcessGroup> makeGroup(const c10::intrusive_ptr<c10d::Store> &store,
                                                 const DistributedEnvironment &env, const GroupOptions &options,
                                                 std::string &backend)
{
    const bool cuda = options.device.rfind("cuda", 0) == 0;
    if (cuda) {
#ifdef POISONLAB_WITH_NCCL
        auto opts = c10d::ProcessGroupNCCL::Options::create();
        opts->timeout = options.timeout;
        backend = "nccl";
        return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, opts);
#else
        throw Error("training on " + options.device +
                    " across processes needs NCCL, which this LibTorch build lacks (build PoisonLab against a CUDA "
                    "LibTorch, or train on the CPU through Gloo)");
#endif
    }
    auto opts = c10d::ProcessGroupGloo::Options::create(options.timeout);
    opts->devices.push_back(glooDevice(env));
    backend = "gloo";
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.worldSize, opts);
}

} // namespace

DistributedGroup::DistributedGroup() : d(std::make_unique<Impl>())
{
}

DistributedGroup::~DistributedGroup() = default;

std::shared_ptr<DistributedGroup> DistributedGroup::join(const DistributedEnvironment &env, const GroupOptions &options)
{
    std::shared_ptr<DistributedGroup> self(new DistributedGroup());
    Impl &s = *self->d;
    s.env = env;
    s.options = options;
    const std::string master = env.masterAddr + ":" + std::to_string(env.masterPort);
    try {
        c10d::TCPStoreOptions so;
        so.port = std::uint16_t(env.masterPort);
        so.isServer = env.rank == 0;
        so.numWorkers = std::size_t(env.worldSize);
        so.waitWorkers = true;
        so.timeout = options.timeout;
        auto tcp = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, so);
        s.store = c10::make_intrusive<c10d::PrefixStore>("poisonlab", tcp);
    } catch (const std::exception &e) {
        throw Error("rank " + std::to_string(env.rank) + " could not " +
                    (env.rank == 0 ? "host the rendezvous at " : "reach the rendezvous at ") + master + " within " +
                    std::to_string(options.timeout.count() / 1000) + " s (" + e.what() +
                    "); check MASTER_ADDR/MASTER_PORT and that every rank was started");
    }
    try {
        s.group = makeGroup(s.store, env, options, s.backend);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        throw Error("rank " + std::to_string(env.rank) + " could not set up the process group through " + master +
                    ": " + e.what());
    }
    return self;
}

int DistributedGroup::rank() const
{
    return d->env.rank;
}

int DistributedGroup::size() const
{
    return d->env.worldSize;
}

const DistributedEnvironment &DistributedGroup::environment() const
{
    return d->env;
}

std::string DistributedGroup::backendName() const
{
    return d->backend;
}

torch::Device DistributedGroup::device() const
{
    return d->backend == "nccl" ? torch::Device(d->options.device) : torch::Device(torch::kCPU);
}

void DistributedGroup::allReduceSum(torch::Tensor &tensor)
{
    allReduceSumAsync(tensor)->wait();
}

c10::intrusive_ptr<c10d::Work> DistributedGroup::allReduceSumAsync(torch::Tensor &tensor)
{
    std::vector<at::Tensor> tensors{tensor};
    return d->group->allreduce(tensors);
}

std::vector<torch::Tensor> DistributedGroup::allGather(const torch::Tensor &tensor)
{
    std::vector<at::Tensor> input{tensor.contiguous()};
    std::vector<std::vector<at::Tensor>> output(1);
    for (int r = 0; r < size(); ++r)
        output[0].push_back(torch::empty_like(input[0]));
    d->group->allgather(output, input)->wait();
    return output[0];
}

torch::Tensor DistributedGroup::allGatherRows(const torch::Tensor &local, const std::vector<std::int64_t> &rows)
{
    // Gloo gathers equal shapes: pad each rank's rows to the largest shard, then trim.
    const std::int64_t most = *std::max_element(rows.begin(), rows.end());
    std::vector<std::int64_t> shape = local.sizes().vec();
    shape[0] = most;
    torch::Tensor padded = torch::zeros(shape, local.options());
    padded.narrow(0, 0, local.size(0)).copy_(local);
    std::vector<torch::Tensor> parts = allGather(padded);
    for (int r = 0; r < size(); ++r)
        parts[std::size_t(r)] = parts[std::size_t(r)].narrow(0, 0, rows[std::size_t(r)]);
    return torch::cat(parts);
}

void DistributedGroup::broadcast(torch::Tensor &tensor, int root)
{
    std::vector<at::Tensor> tensors{tensor};
    c10d::BroadcastOptions opts;
    opts.rootRank = root;
    d->group->broadcast(tensors, opts)->wait();
}

bool DistributedGroup::broadcastFlag(bool value, int root)
{
    torch::Tensor flag = torch::tensor({value ? 1 : 0}, torch::TensorOptions(torch::kInt32).device(device()));
    broadcast(flag, root);
    return flag.item<int>() != 0;
}

void DistributedGroup::barrier()
{
    d->group->barrier()->wait();
}

void DistributedGroup::checkSameEverywhere(const std::string &what, const std::string &value)
{
    const auto values = d->exchange("check", what, value);
    for (int r = 1; r < size(); ++r)
        if (values[std::size_t(r)] != values[0])
            throw Error("distributed run: rank " + std::to_string(r) + "'s " + what + " differs from rank 0's (" +
                        values[std::size_t(r)] + " against " + values[0] +
                        "); every rank must start from the same config and data");
}

void DistributedGroup::agree(const std::string &phase, const std::optional<std::string> &failure)
{
    // "ok" or "!" + the message: an empty message still reads as a failure.
    const auto values = d->exchange("agree", phase, failure ? "!" + *failure : "ok");
    for (int r = 0; r < size(); ++r)
        if (values[std::size_t(r)] != "ok")
            throw Error("distributed run: rank " + std::to_string(r) + " failed while " + phase + ": " +
                        values[std::size_t(r)].substr(1));
}

} // namespace poisonlab::distributed
