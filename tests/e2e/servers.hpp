// Servers a test starts and stops itself: a remote shard is an archive served by Xapian's
// xapian-tcpsrv (its index) and by `panmun-query serve` (its texts), both on 127.0.0.1
// (docs/REMOTE.md).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace panmun::test {

// Where Debian's xapian-tools puts Xapian's server; scripts/install-deps installs it.
inline const char* tcpsrv_bin = "/usr/bin/xapian-tcpsrv";

// A process run for the life of this object, its output appended to `log`, in a process group of
// its own: SIGTERM to the group and waited for when it goes. (xapian-tcpsrv answers SIGTERM by
// sending it to its whole group, which must not be the test's.)
class ServerProcess {
public:
    ServerProcess(const std::vector<std::string>& args, const std::string& log) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
            std::vector<char*> argv;
            for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
    }
    ~ServerProcess() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    // Whether it is still running.
    bool running() const {
        int status = 0;
        return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
    }

private:
    pid_t pid_ = -1;
};

// A port of 127.0.0.1 that nothing listens on now (the kernel's choice).
inline unsigned free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// Whether something accepts connections on 127.0.0.1:port within ten seconds.
inline bool accepts(unsigned port) {
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (ok) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

// An archive served as a remote shard: xapian-tcpsrv on its index, `panmun-query serve` for its
// texts, each on a free port of 127.0.0.1. name() is what --archive takes.
// The name of a remote shard on this machine: its index at `index_port`, its texts at
// `texts_port`.
inline std::string shard_name(unsigned index_port, unsigned texts_port) {
    return "tcp://127.0.0.1:" + std::to_string(index_port) +
           "?texts=http://127.0.0.1:" + std::to_string(texts_port);
}

class RemoteShardServers {
public:
    RemoteShardServers(const std::string& archive, const std::string& log)
        : index_port_(free_port()),
          index_(std::vector<std::string>{tcpsrv_bin, "--interface", "127.0.0.1", "--port",
                                          std::to_string(index_port_), archive + "/xapian"},
                 log),
          texts_port_(free_port()),
          texts_(std::vector<std::string>{PANMUN_QUERY_BIN, "serve", "--archive", archive, "--bind",
                                          "127.0.0.1", "--port", std::to_string(texts_port_)},
                 log) {}
    // Whether both servers took connections (within ten seconds each).
    bool ready() const { return accepts(index_port_) && accepts(texts_port_); }
    std::string name() const { return shard_name(index_port_, texts_port_); }
    unsigned index_port() const { return index_port_; }
    unsigned texts_port() const { return texts_port_; }

private:
    unsigned index_port_;
    ServerProcess index_;
    unsigned texts_port_;
    ServerProcess texts_;
};

}  // namespace panmun::test
