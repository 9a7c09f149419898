#if canImport(Glibc)
    import Glibc
#endif

/// Plain words for the system errors a person meets when reading and writing reports.
public enum SystemErrorText {
    /// What `code` (an `errno` value) means for a file or folder, in words a person can act on.
    public static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case EACCES, EPERM: "permission denied"
        case EROFS: "the file system is read-only"
        case ENOSPC: "no space left on the device"
        case EDQUOT: "the disk quota is exhausted"
        case ENOTDIR: "a part of the path is a file, not a folder"
        case EISDIR: "it is a folder"
        case ENAMETOOLONG: "the file name is too long"
        case ELOOP: "too many symbolic links, or a symbolic link where a file was expected"
        case EEXIST: "a file of that name is in the way"
        case EIO: "input/output error on the device"
        default: String(cString: strerror(code))
        }
    }
}
