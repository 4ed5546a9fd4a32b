package io.github.plantwatch.anomaly.support;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** An address of this machine that is not loopback: a request sent to it arrives from a non-local address. */
public final class NetworkAddress {

    private NetworkAddress() {
    }

    public static String nonLoopback() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(NetworkAddress::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .map(InetAddress::getHostAddress)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("this test needs a network interface with a "
                        + "non-loopback IPv4 address (any container or host has one)"));
    }

    private static boolean isUp(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
